using ActorTrain.Model.Losses;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Losses;

public sealed class CrossEntropyTests
{
    private static double Manual(float[] logits, int classes, long[] targets)
    {
        double sum = 0;
        for (var n = 0; n < targets.Length; n++)
        {
            if (targets[n] == CrossEntropy.DefaultIgnoreIndex) continue;
            var row = logits.AsSpan(n * classes, classes).ToArray();
            var max = row.Max();
            var logSumExp = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            sum += logSumExp - row[(int)targets[n]];
        }
        return sum;
    }

    [Fact]
    public void Ignored_targets_are_skipped_and_counted_out()
    {
        using var scope = NewDisposeScope();
        var logits = randn([2, 3, 5], generator: new Generator(1));
        long[] targets = [0, 4, -100, 2, -100, 1];
        var t = tensor(targets, [2, 3]);
        var sum = CrossEntropy.Compute(logits, t, nn.Reduction.Sum);
        var mean = CrossEntropy.Compute(logits, t, nn.Reduction.Mean);
        Assert.Equal(4, sum.Count);
        Assert.Equal(4, mean.Count);
        var expected = Manual(logits.data<float>().ToArray(), 5, targets);
        Assert.Equal(expected, sum.Loss.item<float>(), 4);
        Assert.Equal(expected / 4, mean.Loss.item<float>(), 4);
    }

    [Fact]
    public void Out_of_range_target_is_an_error_not_a_crash()
    {
        using var scope = NewDisposeScope();
        Assert.ThrowsAny<Exception>(() => CrossEntropy.Compute(zeros(2, 3), tensor(new long[] { 0, 3 })));
    }
}
