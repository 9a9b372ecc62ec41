using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A decoder-only transformer: token + position embeddings ("tok", "pos"), <see cref="GptConfig.Layers"/> pre-LN blocks
/// ("blocks.N."), final LayerNorm ("ln") and an untied bias-free head ("head"). Parameter names, shapes and order are
/// those of the PyTorch reference (bench/peers/peer_gpt.py), so its state_dict and our safetensors agree.
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
    /// <remarks>With <paramref name="lora"/>, the matching block Linears get adapters (A from <paramref name="loraGenerator"/>, B = 0)
    /// and every other parameter is frozen: <see cref="TrainableParameters"/> are then the adapters only. The base is
    /// initialised exactly as without adapters (same draws), and a base checkpoint is loaded by the same names.</remarks>
    public Gpt(GptConfig config, Generator generator, Device? device = null, Generator? dropoutGenerator = null,
        LoraConfig? lora = null, Generator? loraGenerator = null) : base(Validated(config, lora))
    {
        Config = config;
        device ??= CPU;
        tok = nn.Embedding(config.VocabSize, config.Width, device: device);
        pos = nn.Embedding(config.ContextLength, config.Width, device: device);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock(config, dropoutGenerator, device, $"blocks.{i}", lora)).ToArray());
        ln = nn.LayerNorm(config.Width, config.LayerNormEps, device: device);
        head = nn.Linear(config.Width, config.VocabSize, hasBias: false, device: device);
        drop = new SeededDropout(config.Dropout, dropoutGenerator);
        register_module("tok", tok);
        register_module("pos", pos);
        register_module("blocks", blocks);
        register_module("ln", ln);
        // The head can carry an adapter too (target "head"): a frozen head cannot learn to emit tokens the base never produced.
        if (lora is not null && lora.IsTarget("head")) register_module("head", new LoraLinear(head, lora, dropoutGenerator, device));
        else register_module("head", head);
        register_module("drop", drop);
        _positions = arange(config.ContextLength, dtype: int64, device: device).DetachFromDisposeScope();
        // named_parameters() hands out the same Parameter objects every time, Embedding.weight a new wrapper per call:
        // keep one set, so the gradient-ready taps and FlatParameters see the same objects.
        _namedParameters = named_parameters().ToList();
        _tokWeight = _namedParameters.Single(p => p.Name == "tok.weight").Parameter;
        _posWeight = _namedParameters.Single(p => p.Name == "pos.weight").Parameter;
        Initializer.Apply(this, config.Init, generator, config.InitStd);
        Lora = lora;
        if (lora is not null)
        {
            // Everything but the adapters is frozen, except the modules_to_save, which train in full.
            foreach (var p in _namedParameters) p.Parameter.requires_grad = lora.IsSaved(p.Name);
            foreach (var adapter in Adapters)
            {
                adapter.AdapterA.requires_grad = true;
                adapter.AdapterB.requires_grad = true;
                adapter.ResetAdapter(loraGenerator ?? generator);
            }
        }
    }

    /// <summary>The LoRA configuration (null: a plain model, every parameter trainable).</summary>
    public LoraConfig? Lora { get; }

    /// <summary>Every LoRA-wrapped Linear, in module order.</summary>
    public IReadOnlyList<LoraLinear> Adapters => [.. blocks.SelectMany(b => b.Adapters), .. HeadAdapter is { } h ? new[] { h } : []];

    // Looked up, not kept in a field: TorchSharp registers Module-typed fields by reflection.
    private LoraLinear? HeadAdapter => named_children().FirstOrDefault(c => c.name == "head").module as LoraLinear;

    /// <summary>Stores every adapted layer's frozen base weight as NF4 (QLoRA); returns the bytes of those weights in
    /// float32 before and in NF4 after. Load the base weights first. <paramref name="doubleQuantize"/>: the block scales
    /// in 8 bits too (<see cref="Nf4Weight"/>).</summary>
    public (long Float32Bytes, long Nf4Bytes) QuantizeBase(bool doubleQuantize = false)
    {
        if (Lora is null) throw new InvalidOperationException("NF4 quantises the frozen base of a LoRA model; this model has no adapters (actortrain.finetune.method = lora)");
        var before = Adapters.Sum(a => a.OutFeatures * a.InFeatures * sizeof(float));
        foreach (var adapter in Adapters) adapter.QuantizeBase(doubleQuantize);
        return (before, Adapters.Sum(a => a.BaseWeightBytes));
    }

    /// <summary>Every LoRA-wrapped Linear with its module path ("blocks.0.qkv"), in module order.</summary>
    public IReadOnlyList<(string Path, LoraLinear Layer)> NamedAdapters() =>
        [.. named_modules().Where(m => m.module is LoraLinear).Select(m => (m.name, (LoraLinear)m.module))];

    /// <summary>Module paths of the Linear layers LoRA can adapt ("blocks.N.qkv", …).</summary>
    public static IReadOnlyList<string> AdaptablePaths(GptConfig config) =>
        [.. Enumerable.Range(0, config.Layers).SelectMany(i => TransformerBlock.LinearNames.Select(n => $"blocks.{i}.{n}")), "head"];

    /// <summary>The parameters that train (requires_grad), in registration order: all of them, or the adapters under LoRA.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> TrainableParameters() => [.. _namedParameters.Where(p => p.Parameter.requires_grad)];

    /// <summary>The frozen parameters (the LoRA base), in registration order; empty for a plain model.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> FrozenParameters() => [.. _namedParameters.Where(p => !p.Parameter.requires_grad)];

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
    public override Tensor forward(Tensor tokens) => forward(tokens, null, null);

    /// <summary>
    /// The packed-batch forward: <paramref name="positions"/> (B, T) int64 positions restarting per sample and
    /// <paramref name="segments"/> (B, T) sample numbers; attention is causal and block-diagonal (a position sees only
    /// earlier positions of its own segment). Both null: the plain causal forward.
    /// </summary>
    public Tensor forward(Tensor tokens, Tensor? positions, Tensor? segments)
    {
        var b = tokens.shape[0];
        var t = tokens.shape[1];
        if (t > Config.ContextLength)
            throw new ArgumentException($"sequence length {t} exceeds the model's context length {Config.ContextLength}", nameof(tokens));
        var tokenRows = Tap(_tokWeight).index_select(0, tokens.reshape(-1)).view(b, t, Config.Width);
        var positionRows = positions is null
            ? Tap(_posWeight).index_select(0, _positions.narrow(0, 0, t))
            : Tap(_posWeight).index_select(0, positions.reshape(-1)).view(b, t, Config.Width);
        var x = drop.forward(tokenRows + positionRows);
        Tensor? mask = null;
        if (segments is not null)
        {
            // (B, 1, T, T), true = may attend: same segment and not in the future.
            var same = segments.unsqueeze(2).eq(segments.unsqueeze(1));
            var causal = ones(t, t, dtype: @bool, device: tokens.device).tril();
            mask = same.logical_and(causal).unsqueeze(1);
        }
        foreach (var block in blocks) x = block.Forward(x, mask);
        x = F.layer_norm(x, ln.normalized_shape, Tap(ln.weight!), Tap(ln.bias!), ln.eps);
        return HeadAdapter is { } adapted ? adapted.Forward(x, Tap) : F.linear(x, Tap(head.weight!));
    }

    private Tensor Tap(Parameter p) => _signal is not null && p.requires_grad ? _signal.Tap(p) : p;

    // Runs before the base constructor, so a bad shape or target pattern is reported before any module or tensor exists.
    private static string Validated(GptConfig config, LoraConfig? lora)
    {
        config.Validate();
        if (lora is not null)
        {
            lora.Validate();
            lora.CheckEveryTargetMatches(AdaptablePaths(config));
            // modules_to_save: any module with parameters that has no adapter (an adapted layer's base stays frozen).
            string[] modules = ["tok", "pos", .. Enumerable.Range(0, config.Layers).SelectMany(i => new[] { $"blocks.{i}.ln1", $"blocks.{i}.ln2" }), "ln", .. AdaptablePaths(config)];
            foreach (var pattern in lora.SavedModules)
            {
                if (!modules.Any(m => LoraConfig.Matches(pattern, m)))
                    throw new ArgumentException($"actortrain.finetune.lora.modules-to-save: pattern '{pattern}' matches no module of the model; " +
                                                $"modules with parameters: tok, pos, ln, head, blocks.N.{{ln1, ln2, qkv, proj, fc, out}}");
                if (modules.FirstOrDefault(m => LoraConfig.Matches(pattern, m) && lora.IsTarget(m)) is { } both)
                    throw new ArgumentException($"actortrain.finetune.lora.modules-to-save: pattern '{pattern}' matches {both}, which also gets an adapter " +
                                                "(actortrain.finetune.lora.targets); a module either trains in full or through its adapter");
            }
        }
        return nameof(Gpt);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _positions.Dispose();
        base.Dispose(disposing);
    }
}
