using ActorTrain.Model.Losses;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Losses;

public sealed class CrossEntropyTests
{
    private static double Manual(float[] logits, int classes, long[] targets)
    {
        double sum = 0;
        for (var n = 0; n < targets.Length; n++)
        {
            if (targets[n] == CrossEntropy.DefaultIgnoreIndex) continue;
            var row = logits.AsSpan(n * classes, classes);
            var max = row.ToArray().Max();
            var logSumExp = max + Math.Log(row.ToArray().Sum(v => Math.Exp(v - max)));
            sum += logSumExp - row[(int)targets[n]];
        }
        return sum;
    }

    [Fact]
    public void Ignored_targets_are_skipped_and_counted_out()
    {
        using var scope = TensorScope.Enter();
        using var gen = new Generator(1);
        var logits = Tensor.Randn([2, 3, 5], gen);
        long[] targets = [0, 4, -100, 2, -100, 1];
        var t = Tensor.From<long>(targets, [2, 3]);
        var sum = CrossEntropy.Compute(logits, t, Reduction.Sum);
        var mean = CrossEntropy.Compute(logits, t, Reduction.Mean);
        Assert.Equal(4, sum.Count);
        Assert.Equal(4, mean.Count);
        var expected = Manual(logits.ToArray<float>(), 5, targets);
        Assert.Equal(expected, sum.Loss.Item(), 4);
        Assert.Equal(expected / 4, mean.Loss.Item(), 4);
        var none = CrossEntropy.Compute(logits, t, Reduction.None);
        Assert.Equal([6L], none.Loss.Shape);
        Assert.Equal(0.0, none.Loss.ToArray<float>()[2]);
    }

    [Fact]
    public void Sum_reduced_gradient_is_count_times_the_mean_gradient()
    {
        using var scope = TensorScope.Enter();
        using var gen = new Generator(2);
        var logits = Tensor.Randn([4, 3], gen).RequiresGradInPlace();
        var t = Tensor.From<long>([1, -100, 2, 0]);
        CrossEntropy.Compute(logits, t, Reduction.Sum).Loss.Backward();
        var sumGrad = logits.Grad!.ToArray<float>();
        logits.Grad!.ZeroInPlace();
        var mean = CrossEntropy.Compute(logits, t, Reduction.Mean);
        mean.Loss.Backward();
        var meanGrad = logits.Grad!.ToArray<float>();
        for (var i = 0; i < sumGrad.Length; i++) Assert.Equal(sumGrad[i], meanGrad[i] * mean.Count, 5);
        Assert.Equal([0f, 0f, 0f], sumGrad.AsSpan(3, 3).ToArray());
    }

    [Fact]
    public void Out_of_range_target_raises_torch_exception()
    {
        using var scope = TensorScope.Enter();
        var logits = Tensor.Zeros([2, 3]);
        Assert.Throws<TorchException>(() => CrossEntropy.Compute(logits, Tensor.From<long>([0, 3])));
    }
}
