using Xunit;
using System.Text.Json;
using ActorTrain.Model.Sampling;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Model.Tests.Sampling;

public class DistributedSamplerTests
{
    private sealed record Case(int Length, int World, bool Shuffle, long Seed, long Epoch, bool DropLast);

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from length in Gen.Choose(1, 300)
        from world in Gen.Choose(1, 9)
        from shuffle in Gen.Elements(true, false)
        from seed in Gen.Choose(-1000, 1000)
        from epoch in Gen.Choose(0, 50)
        from dropLast in Gen.Elements(true, false)
        select new Case(length, world, shuffle, seed, epoch, dropLast));

    private static int[][] Shards(Case c) => Enumerable.Range(0, c.World).Select(rank =>
    {
        var s = new DistributedSampler(c.Length, c.World, rank, c.Shuffle, c.Seed, c.DropLast);
        s.SetEpoch(c.Epoch);
        return s.Indices.ToArray();
    }).ToArray();

    private static void Check(Func<Case, bool> property)
        => FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Cases, property));

    [Fact]
    public void Without_drop_last_the_union_of_all_ranks_covers_every_index()
        => Check(c => c.DropLast || Shards(c).SelectMany(x => x).ToHashSet().SetEquals(Enumerable.Range(0, c.Length)));

    [Fact]
    public void Every_rank_gets_the_same_number_of_indices_ceil_or_floor_of_len_over_world()
    {
        Check(c =>
        {
            var expected = c.DropLast ? c.Length / c.World : (c.Length + c.World - 1) / c.World;
            return Shards(c).All(s => s.Length == expected);
        });
    }

    [Fact]
    public void Shards_are_disjoint_when_no_padding_is_needed()
    {
        Check(c =>
        {
            var all = Shards(c).SelectMany(x => x).ToArray();
            var padded = !c.DropLast && c.Length % c.World != 0;
            return padded || all.Distinct().Count() == all.Length;
        });
    }

    [Fact]
    public void Drop_last_keeps_floor_len_over_world_times_world_distinct_indices()
    {
        Check(c =>
        {
            if (!c.DropLast)
            {
                return true;
            }
            var all = Shards(c).SelectMany(x => x).ToArray();
            return all.Length == c.Length / c.World * c.World && all.Distinct().Count() == all.Length && all.All(i => i >= 0 && i < c.Length);
        });
    }

    [Fact]
    public void Same_seed_and_epoch_give_the_same_order()
        => Check(c => Shards(c).Zip(Shards(c)).All(p => p.First.SequenceEqual(p.Second)));

    [Fact]
    public void A_different_epoch_gives_a_different_order_when_shuffling()
    {
        Check(c =>
        {
            if (!c.Shuffle || c.Length < 12)
            {
                return true;
            }
            var next = Shards(c with { Epoch = c.Epoch + 1 });
            return !Shards(c).SelectMany(x => x).SequenceEqual(next.SelectMany(x => x));
        });
    }

    [Fact]
    public void Without_shuffle_padding_repeats_from_the_start_and_ranks_take_every_world_th_index()
    {
        // PyTorch: len 5, world 3 → [0,1,2,3,4] + [0] → rank r takes [r::3].
        Assert.Equal([[0, 3], [1, 4], [2, 0]], Shards(new Case(5, 3, false, 0, 0, false)));
        // Padding longer than the dataset wraps repeatedly: len 2, world 5 → [0,1,0,1,0].
        Assert.Equal([[0], [1], [0], [1], [0]], Shards(new Case(2, 5, false, 0, 0, false)));
        // drop_last truncates: len 5, world 3 → [0,1,2].
        Assert.Equal([[0], [1], [2]], Shards(new Case(5, 3, false, 0, 0, true)));
        // drop_last with fewer samples than ranks leaves every rank empty.
        Assert.All(Shards(new Case(2, 3, false, 0, 0, true)), s => Assert.Empty(s));
    }

    [TorchFact]
    public void Unshuffled_indices_equal_torch_DistributedSampler_for_every_rank()
    {
        var cases = new[] { (7, 3, false), (7, 3, true), (2, 5, false), (10, 4, false), (10, 4, true), (1, 3, false), (9, 3, false) };
        var script = """
            import json, sys
            from torch.utils.data.distributed import DistributedSampler
            out = []
            for n, w, drop in json.loads(sys.argv[1]):
                out.append([list(DistributedSampler(range(n), num_replicas=w, rank=r, shuffle=False, drop_last=drop)) for r in range(w)])
            print(json.dumps(out))
            """;
        var json = ReferencePython.Run(script, JsonSerializer.Serialize(cases.Select(c => new object[] { c.Item1, c.Item2, c.Item3 })));
        var expected = JsonSerializer.Deserialize<int[][][]>(json)!;
        for (var i = 0; i < cases.Length; i++)
        {
            var (n, w, drop) = cases[i];
            Assert.Equal(expected[i], Shards(new Case(n, w, false, 0, 0, drop)));
        }
    }

    [TorchFact]
    public void Shuffled_indices_equal_torch_DistributedSampler_for_every_rank_and_epoch()
    {
        // Odd and even lengths, world above the length, drop_last both ways, several seeds (one negative) and epochs.
        var cases = (from n in new[] { 1, 2, 7, 10, 13, 64, 101, 1000, 4097 }
                     from w in new[] { 1, 2, 3, 4, 8, 16 }
                     from drop in new[] { false, true }
                     from seed in new[] { 0L, 42L, -3L }
                     from epoch in new[] { 0L, 1L, 7L }
                     select new Case(n, w, true, seed, epoch, drop)).ToArray();
        var script = """
            import json, sys
            from torch.utils.data.distributed import DistributedSampler
            out = []
            for n, w, seed, epoch, drop in json.loads(sys.stdin.read()):
                ranks = []
                for r in range(w):
                    s = DistributedSampler(range(n), num_replicas=w, rank=r, shuffle=True, seed=seed, drop_last=drop)
                    s.set_epoch(epoch)
                    ranks.append(list(s))
                out.append(ranks)
            print(json.dumps(out))
            """;
        var input = JsonSerializer.Serialize(cases.Select(c => new object[] { c.Length, c.World, c.Seed, c.Epoch, c.DropLast }));
        var json = ReferencePython.RunWithInput(script, input);
        var expected = JsonSerializer.Deserialize<int[][][]>(json)!;
        Assert.Equal(cases.Length, expected.Length);
        for (var i = 0; i < cases.Length; i++) Assert.True(expected[i].Zip(Shards(cases[i])).All(p => p.First.SequenceEqual(p.Second)), $"differs from PyTorch for {cases[i]}");
    }

    [Fact]
    public void Restoring_a_saved_position_continues_with_the_next_unseen_index()
    {
        var original = new DistributedSampler(103, 4, 2, shuffle: true, seed: 7);
        original.SetEpoch(3);
        var buffer = new int[10];
        Assert.Equal(10, original.Take(buffer));
        var state = original.State;
        Assert.Equal(new SamplerState(3, 10), state);

        var resumed = new DistributedSampler(103, 4, 2, shuffle: true, seed: 7);
        resumed.Restore(state);
        var rest = new List<int>();
        var restOriginal = new List<int>();
        while (resumed.TryNext(out var i))
        {
            rest.Add(i);
        }
        while (original.TryNext(out var i))
        {
            restOriginal.Add(i);
        }
        Assert.Equal(restOriginal, rest);
        Assert.Equal(original.NumSamples - 10, rest.Count);
        Assert.Equal(0, resumed.Remaining);
    }

    [Fact]
    public void Set_epoch_restarts_the_position_and_reshuffles()
    {
        var s = new DistributedSampler(50, 2, 0, shuffle: true, seed: 1);
        var epoch0 = s.Indices.ToArray();
        s.TryNext(out _);
        s.SetEpoch(1);
        Assert.Equal(0, s.Position);
        Assert.NotEqual(epoch0, s.Indices.ToArray());
    }

    [Fact]
    public void Restoring_a_position_beyond_the_epoch_is_rejected_with_a_hint()
    {
        var s = new DistributedSampler(10, 2, 0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => s.Restore(new SamplerState(0, 6)));
        Assert.Contains("different dataset or world size", e.Message);
    }

    [Fact]
    public void Invalid_rank_world_or_length_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(0, 1, 0));
    }
}
