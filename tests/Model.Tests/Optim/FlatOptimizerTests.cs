using ActorTrain.Model.Optim;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Optim;

public class FlatOptimizerTests
{
    private static float[] Random(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    private static readonly ParameterGroup[] Groups = [new(0, 40, 0.1), new(40, 13, 0), new(80, 20, 0.3)];

    private static IFlatOptimizer Make(string kind, int offset, int length) => kind == "adamw"
        ? new AdamW(offset, length, new AdamWOptions(WeightDecay: 0.02), Groups)
        : new SgdMomentum(offset, length, new SgdOptions(Momentum: 0.9, Dampening: 0.05, WeightDecay: 0.01), Groups);

    [Fact]
    public void Stepping_shards_separately_equals_stepping_the_whole_buffer_bitwise()
    {
        const int n = 117;
        var gen = from kind in Gen.Elements("adamw", "sgd")
                  from cut1 in Gen.Choose(0, n)
                  from cut2 in Gen.Choose(0, n)
                  select (kind, Math.Min(cut1, cut2), Math.Max(cut1, cut2));
        Prop.ForAll(Arb.From(gen), t =>
        {
            var (kind, a, b) = t;
            var whole = Random(n, 1);
            var sharded = (float[])whole.Clone();
            var full = Make(kind, 0, n);
            var shards = new[] { Make(kind, 0, a), Make(kind, a, b - a), Make(kind, b, n - b) };
            for (var step = 0; step < 4; step++)
            {
                var grads = Random(n, 100 + step, 0.1f);
                full.Step(whole, grads, 1e-2);
                foreach (var s in shards)
                {
                    s.Step(sharded.AsSpan(s.ShardOffset, s.ShardLength), grads.AsSpan(s.ShardOffset, s.ShardLength), 1e-2);
                }
            }
            var merged = OptimizerState.Merge(shards.Select(s => s.ExportState()), n);
            var fullState = full.ExportState();
            return whole.SequenceEqual(sharded)
                && merged.Step == fullState.Step
                && fullState.Buffers.All(kv => kv.Value.SequenceEqual(merged.Buffers[kv.Key]));
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void Exported_state_imported_into_a_fresh_optimizer_continues_bitwise(string kind)
    {
        const int n = 100;
        var p1 = Random(n, 3);
        var first = Make(kind, 0, n);
        for (var s = 0; s < 3; s++)
        {
            first.Step(p1, Random(n, 10 + s), 3e-3);
        }
        var p2 = (float[])p1.Clone();
        var second = Make(kind, 0, n);
        second.ImportState(first.ExportState());
        Assert.Equal(3, second.StepCount);
        for (var s = 3; s < 6; s++)
        {
            var g = Random(n, 10 + s);
            first.Step(p1, g, 3e-3);
            second.Step(p2, g, 3e-3);
        }
        Assert.Equal(p1, p2);
    }

    [Fact]
    public void AdamW_decays_only_elements_whose_group_has_weight_decay()
    {
        // With zero gradients the Adam update is 0/(0+eps) = 0, leaving only the decoupled decay p·(1 − lr·wd).
        var p = Enumerable.Repeat(2f, 100).ToArray();
        var adamw = new AdamW(100, new AdamWOptions(WeightDecay: 0.5), Groups);
        adamw.Step(p, new float[100], 0.1);
        Assert.All(p[..40], x => Assert.Equal(2f * (float)(1 - 0.1 * 0.1), x));
        Assert.All(p[40..53], x => Assert.Equal(2f, x));
        Assert.All(p[53..80], x => Assert.Equal(2f * (float)(1 - 0.1 * 0.5), x));
        Assert.All(p[80..], x => Assert.Equal(2f * (float)(1 - 0.1 * 0.3), x));
    }

    [Theory]
    [InlineData("adamw")]
    [InlineData("sgd")]
    public void A_step_allocates_nothing(string kind)
    {
        var p = Random(4099, 1);
        var g = Random(4099, 2);
        var optimizer = Make(kind, 0, p.Length);
        optimizer.Step(p, g, 1e-3);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            optimizer.Step(p, g, 1e-3);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Spans_of_the_wrong_length_are_rejected_naming_the_shard()
    {
        var adamw = new AdamW(10, 5, null, null);
        var e = Assert.Throws<ArgumentException>(() => adamw.Step(new float[15], new float[15], 1e-3));
        Assert.Contains("[10, +5)", e.Message);
    }

    [Fact]
    public void Importing_state_of_another_kind_or_range_is_rejected()
    {
        var sgd = new SgdMomentum(10);
        Assert.Contains("'adamw'", Assert.Throws<ArgumentException>(() => sgd.ImportState(new AdamW(10).ExportState())).Message);
        Assert.Contains("Slice", Assert.Throws<ArgumentException>(() => sgd.ImportState(new SgdMomentum(0, 5, null, null).ExportState())).Message);
    }

    [Fact]
    public void Overlapping_parameter_groups_are_rejected()
        => Assert.Throws<ArgumentException>(() => new AdamW(100, null, [new(0, 50, 0.1), new(40, 10, 0)]));

    [Fact]
    public void Slicing_a_merged_state_gives_back_each_shard()
    {
        var shards = new[] { new AdamW(0, 30, null, null), new AdamW(30, 70, null, null) };
        var p = Random(100, 4);
        foreach (var s in shards)
        {
            s.Step(p.AsSpan(s.ShardOffset, s.ShardLength), Random(100, 5).AsSpan(s.ShardOffset, s.ShardLength), 1e-2);
        }
        var merged = OptimizerState.Merge(shards.Select(s => s.ExportState()), 100);
        var slice = merged.Slice(30, 70);
        Assert.Equal(shards[1].ExportState().Buffers[AdamW.ExpAvg], slice.Buffers[AdamW.ExpAvg]);
        Assert.Throws<ArgumentException>(() => OptimizerState.Merge([shards[1].ExportState()], 100));
    }

    [Fact]
    public void Nesterov_without_momentum_is_rejected_as_in_torch()
        => Assert.Throws<ArgumentException>(() => new SgdMomentum(10, new SgdOptions(Momentum: 0, Nesterov: true)));
}
