using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.model</c>: the GPT to train. With a named preset, the preset's dimensions apply except where the
/// user config sets a dimension explicitly.</summary>
public sealed record ModelSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.model";

    /// <summary>The preset.</summary>
    public ModelPreset Preset { get; init; }

    /// <summary>Vocabulary size (&gt;= 2).</summary>
    public int VocabSize { get; init; }

    /// <summary>Context length in tokens.</summary>
    public int Context { get; init; }

    /// <summary>Embedding width; divisible by <see cref="Heads"/>.</summary>
    public int Width { get; init; }

    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; }

    /// <summary>Attention heads.</summary>
    public int Heads { get; init; }

    /// <summary>MLP hidden width = MlpRatio × Width.</summary>
    public int MlpRatio { get; init; }

    /// <summary>Dropout probability in [0, 1).</summary>
    public double Dropout { get; init; }

    /// <summary>Weight initialisation scheme.</summary>
    public ModelInit Init { get; init; }

    /// <summary>Standard deviation for gpt2-normal.</summary>
    public double InitStd { get; init; }

    /// <summary>Parameter type.</summary>
    public ModelDType DType { get; init; }

    /// <summary>Device.</summary>
    public ComputeDevice Device { get; init; }

    /// <summary>Width of each attention head.</summary>
    public int HeadDim => Heads > 0 ? Width / Heads : 0;

    /// <summary>The dimensions of a preset (null for custom).</summary>
    public static (int VocabSize, int Context, int Width, int Layers, int Heads, int MlpRatio)? PresetDimensions(ModelPreset preset) => preset switch
    {
        ModelPreset.GptSmall => (256, 32, 128, 2, 4, 4),
        ModelPreset.GptBench => (256, 128, 256, 4, 4, 4),
        _ => null,
    };

    /// <summary>Reads and validates the section; <paramref name="isExplicit"/> tells whether the user config (file, env or
    /// --set) sets a key, which then wins over the preset.</summary>
    public static ModelSettings Bind(SettingsReader reader, Func<string, bool> isExplicit)
    {
        const string p = Path + ".";
        var preset = reader.Enum<ModelPreset>(p + "preset");
        var dims = PresetDimensions(preset);
        int Dim(string key, int presetValue, int min, int max)
        {
            int configured = reader.Int(p + key, min, max);
            return dims is null || isExplicit(p + key) ? configured : presetValue;
        }

        var settings = new ModelSettings
        {
            Preset = preset,
            VocabSize = Dim("vocab-size", dims?.VocabSize ?? 0, 2, 1 << 24),
            Context = Dim("context", dims?.Context ?? 0, 1, 1 << 20),
            Width = Dim("width", dims?.Width ?? 0, 1, 1 << 16),
            Layers = Dim("layers", dims?.Layers ?? 0, 1, 1024),
            Heads = Dim("heads", dims?.Heads ?? 0, 1, 1024),
            MlpRatio = Dim("mlp-ratio", dims?.MlpRatio ?? 0, 1, 64),
            Dropout = reader.Double(p + "dropout", 0.0, 1.0, maxExclusive: true),
            Init = reader.Enum<ModelInit>(p + "init"),
            InitStd = reader.Double(p + "init-std", 0.0, 10.0, minExclusive: true),
            DType = reader.Enum<ModelDType>(p + "dtype"),
            Device = reader.Enum<ComputeDevice>(p + "device"),
        };
        if (reader.Ok(p + "heads", p + "width", p + "preset") && settings.Width % settings.Heads != 0)
            reader.Fail(p + "heads", $"must divide width ({settings.Width}) evenly; the effective heads is {settings.Heads} (preset {SettingsEnum.Name(preset)})");
        return settings;
    }
}
