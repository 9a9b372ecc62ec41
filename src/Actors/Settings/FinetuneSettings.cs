using ActorTrain.Cluster.Settings;
using ActorTrain.Model.Nn;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.finetune</c>: the base model and the LoRA adapters of a <c>job.kind = finetune</c> job.</summary>
public sealed record FinetuneSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.finetune";

    /// <summary>Base weights: a checkpoint directory or a .safetensors file; empty = the seeded initialisation.</summary>
    public string Base { get; init; } = "";

    /// <summary>LoRA or full fine-tuning.</summary>
    public FinetuneMethod Method { get; init; }

    /// <summary>LoRA rank r.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>LoRA α (adapter output scaled by α/r).</summary>
    public double LoraAlpha { get; init; } = 16;

    /// <summary>Dropout on the adapters' input.</summary>
    public double LoraDropout { get; init; }

    /// <summary>Module-path patterns of the adapted Linears.</summary>
    public IReadOnlyList<string> LoraTargets { get; init; } = LoraConfig.DefaultTargets;

    /// <summary>Module-path patterns of modules that train in full beside the adapters (peft's modules_to_save).</summary>
    public IReadOnlyList<string> LoraModulesToSave { get; init; } = [];

    /// <summary>Store the adapted layers' frozen base weights as NF4 (4-bit, block 64), dequantised on the fly.</summary>
    public bool Nf4 { get; init; }

    /// <summary>Store the NF4 block scales in 8 bits too (double quantisation, one float32 per 256 scales).</summary>
    public bool Nf4DoubleQuant { get; init; }

    /// <summary>The adapters' configuration (null for full fine-tuning).</summary>
    public LoraConfig? Lora => Method == FinetuneMethod.Lora ? new LoraConfig(LoraRank, LoraAlpha, LoraDropout, LoraTargets, LoraModulesToSave) : null;

    /// <summary>Reads and validates the section (every rule here; errors name the key).</summary>
    public static FinetuneSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var s = new FinetuneSettings
        {
            Base = reader.String(p + "base"),
            Method = reader.Enum<FinetuneMethod>(p + "method"),
            LoraRank = reader.Int(p + "lora.rank", 1, 4096),
            LoraAlpha = reader.Double(p + "lora.alpha", 0, 1e6, minExclusive: true),
            LoraDropout = reader.Double(p + "lora.dropout", 0, 1, maxExclusive: true),
            LoraTargets = reader.StringList(p + "lora.targets"),
            LoraModulesToSave = reader.StringList(p + "lora.modules-to-save"),
            Nf4 = reader.Boolean(p + "nf4"),
            Nf4DoubleQuant = reader.Boolean(p + "nf4-double-quant"),
        };
        if (s.Nf4DoubleQuant && reader.Ok(p + "nf4")) reader.Require(s.Nf4, p + "nf4-double-quant", "needs nf4 = on (it quantises the NF4 block scales)");
        if (s.Nf4 && reader.Ok(p + "method")) reader.Require(s.Method == FinetuneMethod.Lora, p + "nf4", "needs method = lora (NF4 stores the frozen base; full fine-tuning trains it)");
        if (reader.Ok(p + "lora.targets")) reader.Require(s.LoraTargets.Count > 0 && s.LoraTargets.All(t => t.Length > 0), p + "lora.targets",
            "must list at least one non-empty module-path pattern (e.g. [qkv, proj, fc, out])");
        if (reader.Ok(p + "lora.modules-to-save")) reader.Require(s.LoraModulesToSave.All(t => t.Length > 0), p + "lora.modules-to-save",
            "must list non-empty module-path patterns (e.g. [tok, pos])");
        return s;
    }
}
