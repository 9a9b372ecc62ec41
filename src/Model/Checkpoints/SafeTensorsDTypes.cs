namespace ActorTrain.Model.Checkpoints;

/// <summary>Sizes and header spellings of <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.BF16 or SafeTensorsDType.F16 => 2,
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown safetensors dtype."),
    };

    /// <summary>The header spelling ("F32", "BF16", …).</summary>
    public static string HeaderName(this SafeTensorsDType dtype) => dtype.ToString();

    /// <summary>Parses a header dtype; false for dtypes this reader does not support.</summary>
    public static bool TryParse(string? name, out SafeTensorsDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = SafeTensorsDType.F32; return true;
            case "BF16": dtype = SafeTensorsDType.BF16; return true;
            case "F16": dtype = SafeTensorsDType.F16; return true;
            case "F64": dtype = SafeTensorsDType.F64; return true;
            case "I64": dtype = SafeTensorsDType.I64; return true;
            case "I32": dtype = SafeTensorsDType.I32; return true;
            case "U8": dtype = SafeTensorsDType.U8; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>Shape as it appears in messages: [768,256].</summary>
    public static string FormatShape(IReadOnlyList<long> shape) => "[" + string.Join(",", shape) + "]";
}
