namespace ActorTrain.Model.Nn;

/// <summary>Shape and initialisation of a <see cref="Gpt"/>.</summary>
/// <param name="VocabSize">Number of token ids.</param>
/// <param name="ContextLength">Maximum sequence length (position table size and mask size).</param>
/// <param name="Width">Embedding/residual width.</param>
/// <param name="Layers">Number of transformer blocks.</param>
/// <param name="Heads">Attention heads per block (Width must be divisible by it).</param>
/// <param name="MlpRatio">MLP hidden width = MlpRatio × Width.</param>
/// <param name="Dropout">Residual/embedding dropout probability (0 = none).</param>
/// <param name="Init">Parameter initialisation scheme.</param>
/// <param name="LayerNormEps">LayerNorm epsilon.</param>
public sealed record GptConfig(
    int VocabSize,
    int ContextLength,
    int Width,
    int Layers,
    int Heads,
    int MlpRatio = 4,
    double Dropout = 0,
    InitScheme Init = InitScheme.Gpt2Normal,
    double LayerNormEps = 1e-5)
{
    /// <summary>
    /// The DDP benchmark model: byte vocabulary 256, context 128, width 256, 4 layers, 4 heads, MLP 4×, no dropout;
    /// 3,323,392 parameters — the same architecture and names as ../shared/bench/pytorch_ddp_baseline.py.
    /// </summary>
    public static GptConfig GptBench { get; } = new(256, 128, 256, 4, 4);

    /// <summary>A small byte-level model for the arithmetic corpus on a CPU: ctx 64, width 128, 2 layers, 4 heads.</summary>
    public static GptConfig Small { get; } = new(256, 64, 128, 2, 4);

    /// <summary>A tiny model for fast tests: vocab 32, ctx 16, width 32, 1 layer, 2 heads.</summary>
    public static GptConfig Tiny { get; } = new(32, 16, 32, 1, 2);

    /// <summary>Preset names accepted by <see cref="FromPreset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["gpt-bench", "small", "tiny"];

    /// <summary>The preset called <paramref name="name"/>.</summary>
    public static GptConfig FromPreset(string name) => name switch
    {
        "gpt-bench" => GptBench,
        "small" => Small,
        "tiny" => Tiny,
        _ => throw new ArgumentException($"unknown model preset '{name}'; known: {string.Join(", ", PresetNames)}", nameof(name)),
    };

    /// <summary>Throws when the shape is inconsistent.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || ContextLength <= 0 || Width <= 0 || Layers <= 0 || Heads <= 0 || MlpRatio <= 0)
            throw new ArgumentException($"every GPT dimension must be positive: {this}");
        if (Width % Heads != 0)
            throw new ArgumentException($"width {Width} is not divisible by heads {Heads}");
        if (Dropout is < 0 or >= 1)
            throw new ArgumentException($"dropout {Dropout} must be in [0, 1)");
    }
}
