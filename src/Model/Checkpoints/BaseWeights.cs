using ActorTrain.Model.Nn;
using static TorchSharp.torch;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Loads a base model's weights into a (possibly LoRA-adapted) <see cref="Gpt"/> by parameter name, for fine-tuning: every
/// base tensor must be present with the shape the configured model has, so a base of another shape fails before training.
/// </summary>
public static class BaseWeights
{
    /// <summary>The weights file of <paramref name="path"/>: the file itself, or a checkpoint directory's model.safetensors.</summary>
    public static string ResolveFile(string path)
    {
        if (Directory.Exists(path))
        {
            var inside = Path.Combine(path, Checkpoint.ModelFileName);
            return File.Exists(inside) ? inside
                : throw new FileNotFoundException($"base checkpoint {path} is a directory without {Checkpoint.ModelFileName} (pass a checkpoint directory step-NNNNNN/ or a .safetensors file)", inside);
        }
        return File.Exists(path) ? path : throw new FileNotFoundException($"base checkpoint {path} does not exist (pass a checkpoint directory step-NNNNNN/ or a .safetensors file)", path);
    }

    /// <summary>Copies the base tensors of <paramref name="path"/> into <paramref name="model"/>'s non-adapter parameters.</summary>
    /// <exception cref="CheckpointMismatchException">A tensor is missing, of another shape or dtype, or not part of the model
    /// (the message names the file, the tensor and both shapes).</exception>
    public static void Load(Gpt model, string path)
    {
        var file = ResolveFile(path);
        var targets = model.NamedParameters().Where(p => !p.Name.Contains(".lora_", StringComparison.Ordinal)).ToList();
        using var reader = SafeTensorsReader.Open(file);
        TensorExpectations.Check(reader, targets.Select(p => (p.Name, p.Parameter.shape)), SafeTensorsDType.F32,
            "configured model (actortrain.model must match the base's shape)");
        using var _ = no_grad();
        foreach (var (name, p) in targets)
        {
            using var values = tensor(reader.ReadFloat32(name)).view(p.shape);
            p.copy_(values);
        }
    }
}
