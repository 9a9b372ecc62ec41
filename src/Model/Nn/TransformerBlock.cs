using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)). Submodules ln1, ln2, qkv, proj, fc, out —
/// the names and order of the PyTorch reference's Block (bench/peers/peer_gpt.py). Causal attention is
/// <c>scaled_dot_product_attention(is_causal)</c>, so no mask buffer is kept.
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln1;
    private readonly LayerNorm ln2;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly Linear fc;
    private readonly Linear @out;
    private readonly SeededDropout drop;
    private readonly long _width;
    private readonly long _heads;
    private readonly long _headDim;
    private readonly Dictionary<Linear, LoraLinear> _adapters = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the block (parameters as TorchSharp's defaults; <see cref="Initializer"/> fills them).</summary>
    /// <param name="config">The model shape.</param>
    /// <param name="dropoutGenerator">Draws the dropout masks (null: the global generator).</param>
    /// <param name="device">Where the parameters live.</param>
    /// <param name="path">This block's module path ("blocks.N"), which LoRA target patterns are matched against.</param>
    /// <param name="lora">LoRA adapters for the Linear layers whose path matches (null: none).</param>
    public TransformerBlock(GptConfig config, Generator? dropoutGenerator = null, Device? device = null, string path = "", LoraConfig? lora = null) : base(nameof(TransformerBlock))
    {
        _width = config.Width;
        _heads = config.Heads;
        _headDim = config.Width / config.Heads;
        ln1 = nn.LayerNorm(config.Width, config.LayerNormEps, device: device);
        ln2 = nn.LayerNorm(config.Width, config.LayerNormEps, device: device);
        qkv = nn.Linear(config.Width, 3L * config.Width, device: device);
        proj = nn.Linear(config.Width, config.Width, device: device);
        fc = nn.Linear(config.Width, (long)config.MlpRatio * config.Width, device: device);
        @out = nn.Linear((long)config.MlpRatio * config.Width, config.Width, device: device);
        drop = new SeededDropout(config.Dropout, dropoutGenerator);
        register_module("ln1", ln1);
        register_module("ln2", ln2);
        // An adapted layer is registered as its LoraLinear under the same name, so the base keeps its parameter names.
        foreach (var (name, layer) in new[] { ("qkv", qkv), ("proj", proj), ("fc", fc), ("out", @out) })
        {
            if (lora is not null && lora.IsTarget(path.Length == 0 ? name : $"{path}.{name}"))
            {
                var adapted = new LoraLinear(layer, lora, dropoutGenerator, device);
                _adapters.Add(layer, adapted);
                register_module(name, adapted);
            }
            else register_module(name, layer);
        }
        register_module("drop", drop);
    }

    /// <summary>The DDP gradient-ready taps (null: parameters are used directly).</summary>
    internal GradientReadySignal? Signal { get; set; }

    /// <summary>The norm before attention.</summary>
    public LayerNorm Ln1 => ln1;
    /// <summary>The norm before the MLP.</summary>
    public LayerNorm Ln2 => ln2;
    /// <summary>Fused query/key/value projection (width → 3·width).</summary>
    public Linear Qkv => qkv;
    /// <summary>Attention output projection.</summary>
    public Linear Proj => proj;
    /// <summary>MLP expansion.</summary>
    public Linear Fc => fc;
    /// <summary>MLP contraction.</summary>
    public Linear Out => @out;

    /// <summary>The LoRA-wrapped layers of this block, in registration order.</summary>
    public IReadOnlyList<LoraLinear> Adapters => _adapters.Values.ToList();

    /// <summary>The local names of the adaptable Linear layers.</summary>
    public static IReadOnlyList<string> LinearNames { get; } = ["qkv", "proj", "fc", "out"];

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>(B, T, C) → (B, T, C) with an attention mask (B, 1, T, T) of booleans (true = attend; null: causal).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        var h = x + drop.forward(Linear(Attention(Norm(ln1, x), mask), proj));
        return h + drop.forward(Linear(F.gelu(Linear(Norm(ln2, h), fc)), @out));
    }

    private Tensor Attention(Tensor x, Tensor? mask)
    {
        var b = x.shape[0];
        var t = x.shape[1];
        var parts = Linear(x, qkv).split(_width, 2);
        var q = parts[0].view(b, t, _heads, _headDim).transpose(1, 2);
        var k = parts[1].view(b, t, _heads, _headDim).transpose(1, 2);
        var v = parts[2].view(b, t, _heads, _headDim).transpose(1, 2);
        var y = mask is null
            ? F.scaled_dot_product_attention(q, k, v, is_casual: true)
            : F.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        return y.transpose(1, 2).reshape(b, t, _width);
    }

    // The layers run through their functional forms so each parameter can pass the DDP gradient-ready tap.
    private Tensor Linear(Tensor x, Linear layer) => _adapters.TryGetValue(layer, out var adapted)
        ? adapted.Forward(x, Tap)
        : F.linear(x, Tap(layer.weight!), layer.bias is { } bias ? Tap(bias) : null);

    private Tensor Norm(LayerNorm norm, Tensor x) => F.layer_norm(x, norm.normalized_shape, Tap(norm.weight!), Tap(norm.bias!), norm.eps);

    // Frozen parameters (a LoRA base) are not in the flat buffers and have no gradient to signal.
    private Tensor Tap(Parameter p) => Signal is not null && p.requires_grad ? Signal.Tap(p) : p;
}
