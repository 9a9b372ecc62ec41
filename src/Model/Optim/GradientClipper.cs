using System.Numerics;
using System.Numerics.Tensors;

namespace ActorTrain.Model.Optim;

/// <summary>Global-norm gradient clipping with the semantics of torch.nn.utils.clip_grad_norm_ (L2 norm).</summary>
public static class GradientClipper
{
    /// <summary>
    /// Computes the L2 norm of all of <paramref name="gradients"/> (accumulated in float64) and, when
    /// <c>maxNorm / (norm + 1e-6) &lt; 1</c>, scales the gradients by that factor. Returns the norm before
    /// clipping. A non-finite norm is returned as is and the gradients are left untouched, so the caller
    /// can skip the step.
    /// </summary>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        var norm = Math.Sqrt(SumOfSquares(gradients));
        ScaleToMaxNorm(gradients, norm, maxNorm);
        return (float)norm;
    }

    /// <summary>
    /// The clip factor for a given global <paramref name="norm"/>: <c>min(1, maxNorm / (norm + 1e-6))</c>.
    /// Use with <see cref="SumOfSquares"/> when the gradients live in several shards: sum the shards'
    /// squares, take the square root, then <see cref="ScaleToMaxNorm"/> each shard.
    /// </summary>
    public static float ClipCoefficient(double norm, float maxNorm)
    {
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The gradient clipping max norm must be > 0.");
        }
        var coefficient = (float)(maxNorm / (norm + 1e-6));
        return Math.Min(coefficient, 1f);
    }

    /// <summary>Scales <paramref name="gradients"/> by <see cref="ClipCoefficient"/> when it is below 1 and the norm is finite.</summary>
    public static void ScaleToMaxNorm(Span<float> gradients, double norm, float maxNorm)
    {
        var coefficient = ClipCoefficient(norm, maxNorm);
        if (double.IsFinite(norm) && coefficient < 1f)
        {
            TensorPrimitives.Multiply(gradients, coefficient, gradients);
        }
    }

    /// <summary>Σ x² over <paramref name="values"/>, accumulated in float64 (SIMD).</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var i = 0;
        var total = 0.0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
                acc0 += low * low;
                acc1 += high * high;
            }
            total = Vector.Sum(acc0 + acc1);
        }
        for (; i < values.Length; i++)
        {
            double x = values[i];
            total += x * x;
        }
        return total;
    }
}
