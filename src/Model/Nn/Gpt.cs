using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A decoder-only transformer: token + position embeddings ("tok", "pos"), <see cref="GptConfig.Layers"/> pre-LN blocks
/// ("blocks.N."), final LayerNorm ("ln") and an untied bias-free head ("head"). Parameter names, shapes and order are
/// those of the PyTorch reference (bench/peers/pytorch_ddp_baseline.py), so its state_dict and our safetensors agree.
/// </summary>
public sealed class Gpt : nn.Module<Tensor, Tensor>
{
    private readonly Embedding tok;
    private readonly Embedding pos;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm ln;
    private readonly Linear head;
    private readonly SeededDropout drop;
    private readonly Tensor _positions;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _namedParameters;
    private readonly Parameter _tokWeight;
    private readonly Parameter _posWeight;
    private GradientReadySignal? _signal;

    /// <summary>Builds the model on <paramref name="device"/> and initialises it by <c>config.Init</c> from <paramref name="generator"/>.</summary>
    public Gpt(GptConfig config, Generator generator, Device? device = null, Generator? dropoutGenerator = null) : base(Validated(config))
    {
        Config = config;
        device ??= CPU;
        tok = nn.Embedding(config.VocabSize, config.Width, device: device);
        pos = nn.Embedding(config.ContextLength, config.Width, device: device);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new TransformerBlock(config, dropoutGenerator, device)).ToArray());
        ln = nn.LayerNorm(config.Width, config.LayerNormEps, device: device);
        head = nn.Linear(config.Width, config.VocabSize, hasBias: false, device: device);
        drop = new SeededDropout(config.Dropout, dropoutGenerator);
        register_module("tok", tok);
        register_module("pos", pos);
        register_module("blocks", blocks);
        register_module("ln", ln);
        register_module("head", head);
        register_module("drop", drop);
        _positions = arange(config.ContextLength, dtype: int64, device: device).DetachFromDisposeScope();
        // named_parameters() hands out the same Parameter objects every time, Embedding.weight a new wrapper per call:
        // keep one set, so the gradient-ready taps and FlatParameters see the same objects.
        _namedParameters = named_parameters().ToList();
        _tokWeight = _namedParameters.Single(p => p.Name == "tok.weight").Parameter;
        _posWeight = _namedParameters.Single(p => p.Name == "pos.weight").Parameter;
        Initializer.Apply(this, config.Init, generator);
    }

    /// <summary>The configuration.</summary>
    public GptConfig Config { get; }
    /// <summary>Token embedding (vocab, width).</summary>
    public Embedding Tok => tok;
    /// <summary>Position embedding (ctx, width).</summary>
    public Embedding Pos => pos;
    /// <summary>The blocks in order.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => blocks.ToList();
    /// <summary>Final LayerNorm.</summary>
    public LayerNorm Ln => ln;
    /// <summary>Output projection to vocabulary logits.</summary>
    public Linear Head => head;

    /// <summary>Parameters with their dotted names, in PyTorch's named_parameters() order.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedParameters() => _namedParameters;

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount() => _namedParameters.Sum(p => p.Parameter.numel());

    /// <summary>Routes every parameter through <paramref name="signal"/>'s gradient-ready tap in forward (null: none).</summary>
    public void UseGradientReadySignal(GradientReadySignal? signal)
    {
        _signal = signal;
        foreach (var block in blocks) block.Signal = signal;
    }

    /// <summary>int64 token ids (B, T), T ≤ context → logits (B, T, vocab). Open a dispose scope per step.</summary>
    public override Tensor forward(Tensor tokens)
    {
        var b = tokens.shape[0];
        var t = tokens.shape[1];
        if (t > Config.ContextLength)
            throw new ArgumentException($"sequence length {t} exceeds the model's context length {Config.ContextLength}", nameof(tokens));
        var tokenRows = Tap(_tokWeight).index_select(0, tokens.reshape(-1)).view(b, t, Config.Width);
        var positionRows = Tap(_posWeight).index_select(0, _positions.narrow(0, 0, t));
        var x = drop.forward(tokenRows + positionRows);
        foreach (var block in blocks) x = block.forward(x);
        x = F.layer_norm(x, ln.normalized_shape, Tap(ln.weight!), Tap(ln.bias!), ln.eps);
        return F.linear(x, Tap(head.weight!));
    }

    private Tensor Tap(Parameter p) => _signal?.Tap(p) ?? p;

    // Runs before the base constructor, so a bad shape is reported before any module or tensor exists.
    private static string Validated(GptConfig config)
    {
        config.Validate();
        return nameof(Gpt);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _positions.Dispose();
        base.Dispose(disposing);
    }
}
