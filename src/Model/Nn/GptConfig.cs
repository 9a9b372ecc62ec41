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
/// <param name="InitStd">σ of the GPT-2 scheme's normal draws (see <see cref="Initializer.Apply"/>).</param>
public sealed record GptConfig(
    int VocabSize,
    int ContextLength,
    int Width,
    int Layers,
    int Heads,
    int MlpRatio = 4,
    double Dropout = 0,
    InitScheme Init = InitScheme.Gpt2Normal,
    double LayerNormEps = 1e-5,
    double InitStd = Initializer.Gpt2Std)
{
    /// <summary>
    /// The DDP benchmark model: byte vocabulary 256, context 128, width 256, 4 layers, 4 heads, MLP 4×, no dropout;
    /// 3,323,392 parameters — the same architecture and names as bench/peers/peer_gpt.py (as bench/peers/pytorch_ddp_baseline.py builds it).
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

    /// <summary>
    /// Throws (before any tensor exists) when the shape is inconsistent, naming the <c>actortrain.model</c> key and the
    /// values it allows.
    /// </summary>
    public void Validate()
    {
        static void Positive(int value, string key)
        {
            if (value <= 0) throw new ArgumentException($"actortrain.model.{key} = {value}: must be a positive integer");
        }
        Positive(VocabSize, "vocab-size");
        Positive(ContextLength, "context");
        Positive(Width, "width");
        Positive(Layers, "layers");
        Positive(Heads, "heads");
        Positive(MlpRatio, "mlp-ratio");
        if (Width % Heads != 0)
            throw new ArgumentException($"actortrain.model.heads = {Heads}: must divide width ({Width}) evenly; allowed: {string.Join(", ", Enumerable.Range(1, Width).Where(h => Width % h == 0).Take(12))}{(Width > 12 ? ", …" : "")}");
        if (Dropout is < 0 or >= 1)
            throw new ArgumentException($"actortrain.model.dropout = {Dropout}: must be in [0, 1)");
        if (!Enum.IsDefined(Init))
            throw new ArgumentException($"actortrain.model.init = {Init}: must be one of {string.Join(", ", Enum.GetNames<InitScheme>())}");
        if (!(LayerNormEps > 0))
            throw new ArgumentException($"layer-norm epsilon {LayerNormEps}: must be positive");
    }

    /// <summary>Parameter count of this shape (no tensors made): embeddings, blocks, final norm and head.</summary>
    public long ParameterCount()
    {
        long w = Width, hidden = (long)MlpRatio * Width;
        var block = 4 * w + (3 * w * w + 3 * w) + (w * w + w) + (hidden * w + hidden) + (hidden * w + w);
        return (long)VocabSize * w + (long)ContextLength * w + Layers * block + 2 * w + (long)VocabSize * w;
    }
}
