using ActorTrain.Model.Sampling;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Sampling;

/// <summary>
/// An elastic job that changes its world size mid-epoch: the ranks of the old world consumed part of the epoch, the
/// checkpoint holds the position, the new world re-shards the rest (<see cref="DistributedSampler.ResumeAt"/>).
/// </summary>
public class ElasticReshardTests
{
    private sealed record Case(int Length, int OldWorld, int NewWorld, bool Shuffle, long Seed, long Epoch, bool DropLast, double Fraction);

    private static readonly Arbitrary<Case> Cases = Arb.From(
        from length in Gen.Choose(1, 300)
        from oldWorld in Gen.Choose(1, 8)
        from newWorld in Gen.Choose(1, 8)
        from shuffle in Gen.Elements(true, false)
        from seed in Gen.Choose(-1000, 1000)
        from epoch in Gen.Choose(0, 20)
        from dropLast in Gen.Elements(true, false)
        from fraction in Gen.Choose(0, 1000)
        select new Case(length, oldWorld, newWorld, shuffle, seed, epoch, dropLast, fraction / 1000.0));

    private static void Check(Func<Case, bool> property)
        => FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Cases, property));

    private static List<int> TakeRest(DistributedSampler sampler)
    {
        var taken = new List<int>();
        while (sampler.TryNext(out var index)) taken.Add(index);
        return taken;
    }

    /// <summary>Old world takes <c>p</c> indices per rank (mid-epoch), then the new world takes the rest of the epoch.
    /// Returns what every rank saw, the checkpointed state and the new world's samplers.</summary>
    private static (List<int> Seen, SamplerState Saved, DistributedSampler[] New)? Run(Case c)
    {
        var old = Enumerable.Range(0, c.OldWorld).Select(r => new DistributedSampler(c.Length, c.OldWorld, r, c.Shuffle, c.Seed, c.DropLast)).ToArray();
        foreach (var s in old) s.SetEpoch(c.Epoch);
        if (old[0].NumSamples == 0) return null; // drop_last with fewer samples than ranks: no epoch to split
        int p = (int)(c.Fraction * (old[0].NumSamples - 1)); // strictly inside the epoch
        var seen = new List<int>();
        foreach (var s in old)
            for (int i = 0; i < p; i++) { Assert.True(s.TryNext(out var index)); seen.Add(index); }
        var saved = old[0].State;
        Assert.All(old, s => Assert.Equal(saved, s.State)); // every rank advances alike: rank 0's state stands for all
        var fresh = Enumerable.Range(0, c.NewWorld).Select(r => new DistributedSampler(c.Length, c.NewWorld, r, c.Shuffle, c.Seed, c.DropLast)).ToArray();
        foreach (var s in fresh) s.ResumeAt(saved.Epoch, saved.GlobalPosition(c.OldWorld));
        foreach (var s in fresh) seen.AddRange(TakeRest(s));
        return (seen, saved, fresh);
    }

    [Fact]
    public void Across_a_world_size_change_every_sample_of_the_epoch_is_seen_exactly_once_apart_from_the_new_worlds_padding()
    {
        Check(c =>
        {
            if (c.DropLast || Run(c) is not { } run) return true;
            long global = run.Saved.GlobalPosition(c.OldWorld);
            long rest = c.Length - global;
            long padding = (c.NewWorld - rest % c.NewWorld) % c.NewWorld;
            var counts = run.Seen.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
            bool everySampleSeen = counts.Keys.Order().SequenceEqual(Enumerable.Range(0, c.Length));
            bool extraIsPadding = run.Seen.Count == c.Length + padding;
            bool exactlyOnceWithoutPadding = padding != 0 || counts.Values.All(n => n == 1);
            return everySampleSeen && extraIsPadding && exactlyOnceWithoutPadding;
        });
    }

    [Fact]
    public void With_drop_last_no_sample_is_seen_twice_and_only_the_new_worlds_remainder_is_dropped()
    {
        Check(c =>
        {
            if (!c.DropLast || Run(c) is not { } run) return true;
            long rest = c.Length - run.Saved.GlobalPosition(c.OldWorld);
            return run.Seen.Distinct().Count() == run.Seen.Count
                   && run.Seen.All(i => i >= 0 && i < c.Length)
                   && run.Seen.Count == c.Length - rest % c.NewWorld;
        });
    }

    [Fact]
    public void The_same_world_resuming_at_its_own_global_position_continues_exactly_like_restore_when_unpadded()
    {
        Check(c =>
        {
            if (Run(c with { NewWorld = c.OldWorld }) is not { } run) return true;
            // Where the epoch is padded, padding wraps from the epoch's start under Restore but from the offset under
            // ResumeAt; that is why a job of unchanged world size restores instead.
            if (!c.DropLast && c.Length % c.OldWorld != 0) return true;
            return Enumerable.Range(0, c.OldWorld).All(r =>
            {
                var restored = new DistributedSampler(c.Length, c.OldWorld, r, c.Shuffle, c.Seed, c.DropLast);
                restored.Restore(run.Saved);
                var resumed = new DistributedSampler(c.Length, c.OldWorld, r, c.Shuffle, c.Seed, c.DropLast);
                resumed.ResumeAt(run.Saved.Epoch, run.Saved.GlobalPosition(c.OldWorld));
                return TakeRest(restored).SequenceEqual(TakeRest(resumed));
            });
        });
    }

    [Fact]
    public void A_state_saved_inside_a_resharded_epoch_restores_to_the_same_remaining_indices_and_the_next_epoch_is_whole()
    {
        Check(c =>
        {
            var s = new DistributedSampler(c.Length, c.NewWorld, 0, c.Shuffle, c.Seed, c.DropLast);
            s.ResumeAt(c.Epoch, (long)(c.Fraction * c.Length));
            int q = s.NumSamples / 2;
            for (int i = 0; i < q; i++) s.TryNext(out _);
            var again = new DistributedSampler(c.Length, c.NewWorld, 0, c.Shuffle, c.Seed, c.DropLast);
            again.Restore(s.State);
            bool same = TakeRest(again).SequenceEqual(TakeRest(s));
            s.SetEpoch(c.Epoch + 1);
            var plain = new DistributedSampler(c.Length, c.NewWorld, 0, c.Shuffle, c.Seed, c.DropLast);
            plain.SetEpoch(c.Epoch + 1);
            return same && s.Indices.SequenceEqual(plain.Indices) && s.State.Offset == 0;
        });
    }
}
