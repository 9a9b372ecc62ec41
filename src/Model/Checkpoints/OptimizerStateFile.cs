using System.Globalization;
using ActorTrain.Model.Optim;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Optimizer state as a safetensors file: for each parameter entry and state buffer one F32 tensor named
/// <c>{parameter}.{buffer}</c> (e.g. <c>blocks.0.attn.qkv.weight.exp_avg</c>); kind, step and buffer
/// names in <c>__metadata__</c>.
/// </summary>
public static class OptimizerStateFile
{
    private const string KindKey = "optimizer";
    private const string StepKey = "step";
    private const string BuffersKey = "buffers";

    /// <summary>Writes a full-buffer <paramref name="state"/> (offset 0; see <see cref="OptimizerState.Merge"/> for shards).</summary>
    public static void Write(string path, IReadOnlyList<FlatTensorEntry> entries, OptimizerState state)
    {
        if (state.Offset != 0)
        {
            throw new ArgumentException($"Optimizer state covers [{state.Offset}, +{state.Length}); merge the shards into a full-buffer state before writing.", nameof(state));
        }
        FlatTensorEntry.Validate(entries, state.Length);
        var bufferNames = state.Buffers.Keys.Order(StringComparer.Ordinal).ToArray();
        var writer = new SafeTensorsWriter()
            .SetMetadata(KindKey, state.Kind)
            .SetMetadata(StepKey, state.Step.ToString(CultureInfo.InvariantCulture))
            .SetMetadata(BuffersKey, string.Join(",", bufferNames));
        foreach (var e in entries)
        {
            foreach (var buffer in bufferNames)
            {
                writer.AddFloat32($"{e.Name}.{buffer}", e.Shape, state.Buffers[buffer].AsMemory(e.Offset, e.Length));
            }
        }
        writer.WriteFile(path);
    }

    /// <summary>
    /// Reads the state for a flat buffer of <paramref name="totalLength"/> elements laid out by
    /// <paramref name="entries"/>, checking kind, names and shapes first.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Another optimizer kind, or a mismatching tensor.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is truncated or corrupted.</exception>
    public static OptimizerState Load(string path, IReadOnlyList<FlatTensorEntry> entries, int totalLength, string expectedKind)
    {
        FlatTensorEntry.Validate(entries, totalLength);
        using var reader = SafeTensorsReader.Open(path);
        if (!reader.Metadata.TryGetValue(KindKey, out var kind) || !reader.Metadata.TryGetValue(StepKey, out var stepText)
            || !reader.Metadata.TryGetValue(BuffersKey, out var buffersText)
            || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
        {
            throw new SafeTensorsFormatException(path, null, $"{path}: not an optimizer state file (metadata '{KindKey}', '{StepKey}', '{BuffersKey}' missing or malformed).");
        }
        if (kind != expectedKind)
        {
            throw new CheckpointMismatchException(path, null, $"checkpoint {path}: optimizer state is '{kind}', the run uses '{expectedKind}'.");
        }
        var bufferNames = buffersText.Length == 0 ? [] : buffersText.Split(',');
        TensorExpectations.Check(reader, entries.SelectMany(e => bufferNames.Select(b => ($"{e.Name}.{b}", e.Shape))), SafeTensorsDType.F32, "optimizer");
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var buffer in bufferNames)
        {
            var values = new float[totalLength];
            foreach (var e in entries)
            {
                reader.ReadFloat32($"{e.Name}.{buffer}", values.AsSpan(e.Offset, e.Length));
            }
            buffers[buffer] = values;
        }
        return new OptimizerState(kind, step, 0, totalLength, buffers);
    }
}
