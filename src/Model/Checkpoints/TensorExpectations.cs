namespace ActorTrain.Model.Checkpoints;

/// <summary>Compares a safetensors file's tensors with the tensors a model or optimizer expects.</summary>
internal static class TensorExpectations
{
    /// <summary>
    /// Throws <see cref="CheckpointMismatchException"/> for the first expected tensor that is missing or has
    /// another dtype or shape, then for the first tensor in the file that nothing expects.
    /// </summary>
    public static void Check(SafeTensorsReader reader, IEnumerable<(string Name, long[] Shape)> expected, SafeTensorsDType dtype, string owner)
    {
        var path = reader.FilePath;
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            expectedNames.Add(name);
            if (!reader.Contains(name))
            {
                throw new CheckpointMismatchException(path, name,
                    $"checkpoint {path}: tensor '{name}' is missing; {owner} expects {dtype.HeaderName()} {SafeTensorsDTypes.FormatShape(shape)} (a checkpoint of a different model?)");
            }
            var info = reader.Get(name);
            if (info.DType != dtype)
            {
                throw new CheckpointMismatchException(path, name,
                    $"checkpoint {path}: tensor '{name}' has dtype {info.DType.HeaderName()}, {owner} expects {dtype.HeaderName()}");
            }
            if (!info.Shape.AsSpan().SequenceEqual(shape))
            {
                throw new CheckpointMismatchException(path, name,
                    $"checkpoint {path}: tensor '{name}' has shape {SafeTensorsDTypes.FormatShape(info.Shape)}, {owner} expects {SafeTensorsDTypes.FormatShape(shape)}");
            }
        }
        foreach (var info in reader.Tensors)
        {
            if (!expectedNames.Contains(info.Name))
            {
                throw new CheckpointMismatchException(path, info.Name,
                    $"checkpoint {path}: tensor '{info.Name}' ({info.DType.HeaderName()} {SafeTensorsDTypes.FormatShape(info.Shape)}) is not part of the {owner} (a checkpoint of a different model?)");
            }
        }
    }
}
