using System.Text.Json;
using ActorTrain.Model.Nn;
using static TorchSharp.torch;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Writes a LoRA-adapted <see cref="Gpt"/> out in the two forms people load: the merged model (every base tensor under
/// its base name, adapted weights replaced by <c>W + (α/r)·B·A</c>) and the adapter alone as peft saves it
/// (<c>adapter_model.safetensors</c> with keys <c>base_model.model.&lt;path&gt;.lora_A.weight</c>/<c>lora_B.weight</c>,
/// plus <c>adapter_config.json</c>).
/// </summary>
public static class LoraExport
{
    /// <summary>peft's key prefix for a wrapped causal-LM.</summary>
    public const string PeftPrefix = "base_model.model.";

    /// <summary>File name peft writes the adapter weights to.</summary>
    public const string AdapterWeightsFile = "adapter_model.safetensors";

    /// <summary>File name peft writes the adapter configuration to.</summary>
    public const string AdapterConfigFile = "adapter_config.json";

    /// <summary>The merged weights, named and ordered as the base model's parameters (no adapter tensors).</summary>
    public static IReadOnlyList<(string Name, long[] Shape, float[] Values)> MergedTensors(Gpt model)
    {
        var merged = model.NamedAdapters().ToDictionary(a => a.Path + ".weight", a => a.Layer);
        var result = new List<(string, long[], float[])>();
        foreach (var (name, p) in model.NamedParameters())
        {
            if (name.Contains(".lora_", StringComparison.Ordinal)) continue;
            using var _ = NewDisposeScope();
            var value = merged.TryGetValue(name, out var layer) ? layer.MergedWeight() : p.detach();
            result.Add((name, value.shape, Values(value)));
        }
        return result;
    }

    /// <summary>Writes <see cref="MergedTensors"/> as safetensors to <paramref name="path"/> (atomically).</summary>
    public static void WriteMerged(Gpt model, string path)
    {
        var writer = new SafeTensorsWriter().SetMetadata("format", "pt");
        foreach (var (name, shape, values) in MergedTensors(model)) writer.AddFloat32(name, shape, values);
        writer.WriteFile(path);
    }

    /// <summary>Writes adapter_model.safetensors and adapter_config.json into <paramref name="directory"/>.</summary>
    public static void WriteAdapter(Gpt model, string directory, string baseModel = "")
    {
        var lora = model.Lora ?? throw new InvalidOperationException("the model has no LoRA adapters to export");
        Directory.CreateDirectory(directory);
        var writer = new SafeTensorsWriter().SetMetadata("format", "pt");
        foreach (var (path, layer) in model.NamedAdapters())
        {
            writer.AddFloat32($"{PeftPrefix}{path}.lora_A.weight", layer.AdapterA.shape, Values(layer.AdapterA));
            writer.AddFloat32($"{PeftPrefix}{path}.lora_B.weight", layer.AdapterB.shape, Values(layer.AdapterB));
        }
        // modules_to_save are stored whole under their own names, as peft's get_peft_model_state_dict writes them.
        foreach (var (name, p) in model.TrainableParameters().Where(p => !p.Name.Contains(".lora_", StringComparison.Ordinal)))
            writer.AddFloat32($"{PeftPrefix}{name}", p.shape, Values(p));
        writer.WriteFile(Path.Combine(directory, AdapterWeightsFile));
        var config = new Dictionary<string, object>
        {
            ["peft_type"] = "LORA",
            ["task_type"] = "CAUSAL_LM",
            ["base_model_name_or_path"] = baseModel,
            ["r"] = lora.Rank,
            ["lora_alpha"] = lora.Alpha,
            ["lora_dropout"] = lora.Dropout,
            ["target_modules"] = model.NamedAdapters().Select(a => a.Path).ToArray(),
            ["modules_to_save"] = lora.SavedModules.Count == 0 ? null! : lora.SavedModules.ToArray(),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
        };
        AtomicFile.Write(Path.Combine(directory, AdapterConfigFile),
            stream => JsonSerializer.Serialize(stream, config, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static float[] Values(Tensor t)
    {
        using var host = t.detach().cpu().contiguous();
        return host.data<float>().ToArray();
    }
}
