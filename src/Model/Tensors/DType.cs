namespace ActorTrain.Model.Tensors;

/// <summary>Element types; the numeric values are the native shim's dtype codes.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float.</summary>
    Float32 = 0,
    /// <summary>64-bit IEEE float.</summary>
    Float64 = 1,
    /// <summary>bfloat16 (8-bit exponent, 7-bit mantissa).</summary>
    BFloat16 = 2,
    /// <summary>64-bit signed integer (indices, targets).</summary>
    Int64 = 3,
    /// <summary>IEEE half precision.</summary>
    Float16 = 4,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 5,
    /// <summary>Boolean (masks).</summary>
    Bool = 6,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 7,
}

/// <summary>Helpers on <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 => 8,
        DType.BFloat16 or DType.Float16 => 2,
        DType.Bool or DType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The dtype whose elements are stored as the unmanaged type <typeparamref name="T"/>.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(bool) ? DType.Bool
        : typeof(T) == typeof(byte) ? DType.UInt8
        : typeof(T) == typeof(Half) ? DType.Float16
        : throw new NotSupportedException(
            $"{typeof(T).Name} has no tensor dtype; use float, double, long, int, bool, byte or Half " +
            "(bfloat16 tensors are created from float data with .To(DType.BFloat16))");
}
