namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Model weights as a safetensors file: one F32 tensor per entry, named exactly as the entry (module
/// paths, never prefixed), so the file loads in Python with safetensors or numpy.
/// </summary>
public static class ModelWeightsFile
{
    /// <summary>Writes the entries' slices of <paramref name="flatParameters"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<FlatTensorEntry> entries, ReadOnlyMemory<float> flatParameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        FlatTensorEntry.Validate(entries, flatParameters.Length);
        var writer = new SafeTensorsWriter();
        writer.SetMetadata("format", "pt");
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            writer.SetMetadata(key, value);
        }
        foreach (var e in entries)
        {
            writer.AddFloat32(e.Name, e.Shape, flatParameters.Slice(e.Offset, e.Length));
        }
        writer.WriteFile(path);
    }

    /// <summary>
    /// Checks every name, dtype and shape against <paramref name="entries"/> first, then reads each tensor
    /// straight into its slice of <paramref name="flatParameters"/>; on a mismatch nothing is written.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Names the first mismatching tensor and the file.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is truncated or corrupted.</exception>
    public static void Load(string path, IReadOnlyList<FlatTensorEntry> entries, Span<float> flatParameters)
    {
        FlatTensorEntry.Validate(entries, flatParameters.Length);
        using var reader = SafeTensorsReader.Open(path);
        TensorExpectations.Check(reader, entries.Select(e => (e.Name, e.Shape)), SafeTensorsDType.F32, "model");
        foreach (var e in entries)
        {
            reader.ReadFloat32(e.Name, flatParameters.Slice(e.Offset, e.Length));
        }
    }
}
