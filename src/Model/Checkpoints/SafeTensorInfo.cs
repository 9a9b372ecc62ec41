namespace ActorTrain.Model.Checkpoints;

/// <summary>One tensor's header entry in a safetensors file.</summary>
/// <param name="Name">Tensor name, exactly as stored.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions (empty for a scalar).</param>
/// <param name="DataBegin">Start of the tensor's bytes, relative to the data section.</param>
/// <param name="DataEnd">End (exclusive) of the tensor's bytes, relative to the data section.</param>
public sealed record SafeTensorInfo(string Name, SafeTensorsDType DType, long[] Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count = checked(count * d);
            }
            return count;
        }
    }

    /// <summary>Number of data bytes.</summary>
    public long ByteLength => DataEnd - DataBegin;
}
