namespace ActorTrain.Model.Checkpoints;

/// <summary>Element types of the safetensors format, spelled as in its header ("F32", "BF16", …).</summary>
public enum SafeTensorsDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,

    /// <summary>bfloat16 (upper 16 bits of a binary32).</summary>
    BF16,

    /// <summary>IEEE 754 binary16.</summary>
    F16,

    /// <summary>IEEE 754 binary64.</summary>
    F64,

    /// <summary>Signed 64-bit integer.</summary>
    I64,

    /// <summary>Signed 32-bit integer.</summary>
    I32,

    /// <summary>Unsigned byte.</summary>
    U8,
}
