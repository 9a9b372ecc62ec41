using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Nn;

/// <summary>Compares autograd gradients with central finite differences in float64.</summary>
internal static class FiniteDifference
{
    /// <summary>
    /// For scalar <paramref name="loss"/>() (built fresh each call), checks d loss / d <paramref name="input"/> for
    /// every element against (f(x+h) - f(x-h)) / 2h.
    /// </summary>
    public static void AssertGradientMatches(Tensor input, Func<Tensor> loss, double h = 1e-6, double tolerance = 1e-6)
    {
        Assert.Equal(DType.Float64, input.DType);
        double[] analytic;
        using (var scope = TensorScope.Enter())
        {
            using (var g = input.Grad) g?.ZeroInPlace();
            loss().Backward();
            analytic = input.Grad!.ToArray<double>();
        }
        var values = input.ToArray<double>();
        using var _ = Torch.NoGrad();
        for (var i = 0; i < values.Length; i++)
        {
            var original = values[i];
            values[i] = original + h;
            input.CopyFrom<double>(values);
            var plus = Evaluate(loss);
            values[i] = original - h;
            input.CopyFrom<double>(values);
            var minus = Evaluate(loss);
            values[i] = original;
            input.CopyFrom<double>(values);
            var numeric = (plus - minus) / (2 * h);
            var scale = Math.Max(1.0, Math.Abs(numeric));
            Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * scale,
                $"element {i}: autograd {analytic[i]:R} vs finite difference {numeric:R}");
        }
    }

    private static double Evaluate(Func<Tensor> loss)
    {
        using var scope = TensorScope.Enter();
        return loss().Item();
    }
}
