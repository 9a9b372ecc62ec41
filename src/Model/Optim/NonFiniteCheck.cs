using System.Numerics;

namespace ActorTrain.Model.Optim;

/// <summary>Detects NaN or ±Infinity in float buffers (e.g. gradients before an optimizer step).</summary>
public static class NonFiniteCheck
{
    // x·0 is 0 for finite x and NaN for NaN/±Inf, so one multiply-add per vector and a single
    // NaN test per block find any non-finite value without a branch per element.
    private const int BlockSize = 4096;

    /// <summary>True when any element of <paramref name="values"/> is NaN or infinite.</summary>
    public static bool HasNonFinite(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            while (values.Length - i >= Vector<float>.Count)
            {
                var acc = Vector<float>.Zero;
                var blockEnd = Math.Min(values.Length - Vector<float>.Count, i + BlockSize);
                for (; i <= blockEnd; i += Vector<float>.Count)
                {
                    acc += new Vector<float>(values[i..]) * Vector<float>.Zero;
                }
                if (!Vector.EqualsAll(acc, acc))
                {
                    return true;
                }
            }
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Index of the first NaN/Inf in <paramref name="values"/>, or -1 (for error messages).</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
