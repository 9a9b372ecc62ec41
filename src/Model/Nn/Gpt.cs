using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A decoder-only transformer: token + position embeddings ("tok", "pos"), <see cref="GptConfig.Layers"/>
/// pre-LN blocks ("blocks.N."), final LayerNorm ("ln") and an untied bias-free head ("head").
/// Names and registration order match ../shared/bench/pytorch_ddp_baseline.py's state_dict.
/// </summary>
public sealed class Gpt : Module
{
    private readonly TransformerBlock[] _blocks;
    private readonly Dropout _embeddingDropout;
    private readonly Tensor _positions;

    /// <summary>Builds the model and initialises it with <paramref name="config"/>.Init drawn from <paramref name="generator"/>.</summary>
    public Gpt(GptConfig config, Generator generator, Device? device = null, Generator? dropoutGenerator = null)
    {
        config.Validate();
        Config = config;
        var dtype = DType.Float32;
        Tok = RegisterModule("tok", new Embedding(config.VocabSize, config.Width, dtype, device));
        Pos = RegisterModule("pos", new Embedding(config.ContextLength, config.Width, dtype, device));
        var blocks = RegisterModule("blocks", new ModuleList());
        _blocks = new TransformerBlock[config.Layers];
        for (var i = 0; i < config.Layers; i++)
            _blocks[i] = blocks.Add(new TransformerBlock(config, dropoutGenerator, dtype, device));
        Ln = RegisterModule("ln", new LayerNorm(config.Width, config.LayerNormEps, dtype, device));
        Head = RegisterModule("head", new Linear(config.Width, config.VocabSize, bias: false, dtype, device));
        _embeddingDropout = RegisterModule("drop", new Dropout(config.Dropout, dropoutGenerator));
        _positions = RegisterOwned(Tensor.Arange(0, config.ContextLength, device: device));
        Initializer.Apply(this, config.Init, generator);
    }

    /// <summary>The configuration.</summary>
    public GptConfig Config { get; }
    /// <summary>Token embedding (vocab, width).</summary>
    public Embedding Tok { get; }
    /// <summary>Position embedding (ctx, width).</summary>
    public Embedding Pos { get; }
    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;
    /// <summary>Final LayerNorm.</summary>
    public LayerNorm Ln { get; }
    /// <summary>Output projection to vocabulary logits.</summary>
    public Linear Head { get; }

    /// <summary>
    /// int64 token ids (B, T) with T ≤ context → logits (B, T, vocab). Intermediates go to the current
    /// <see cref="TensorScope"/>; open one per step.
    /// </summary>
    public Tensor Forward(Tensor tokens)
    {
        var t = tokens.Size(1);
        if (t > Config.ContextLength)
            throw new ArgumentException($"sequence length {t} exceeds the model's context length {Config.ContextLength}", nameof(tokens));
        var positions = _positions.Narrow(0, 0, t);
        var x = _embeddingDropout.Forward(Tok.Forward(tokens) + Pos.Forward(positions));
        foreach (var block in _blocks) x = block.Forward(x);
        return Head.Forward(Ln.Forward(x));
    }
}
