using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)). Submodules ln1, ln2, qkv, proj, fc, out —
/// the names and order of the PyTorch reference's Block (bench/peers/pytorch_ddp_baseline.py). Causal attention is
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

    /// <summary>Creates the block (parameters as TorchSharp's defaults; <see cref="Initializer"/> fills them).</summary>
    public TransformerBlock(GptConfig config, Generator? dropoutGenerator = null, Device? device = null) : base(nameof(TransformerBlock))
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
        register_module("qkv", qkv);
        register_module("proj", proj);
        register_module("fc", fc);
        register_module("out", @out);
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

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public override Tensor forward(Tensor x)
    {
        var h = x + drop.forward(Linear(Attention(Norm(ln1, x)), proj));
        return h + drop.forward(Linear(F.gelu(Linear(Norm(ln2, h), fc)), @out));
    }

    private Tensor Attention(Tensor x)
    {
        var b = x.shape[0];
        var t = x.shape[1];
        var parts = Linear(x, qkv).split(_width, 2);
        var q = parts[0].view(b, t, _heads, _headDim).transpose(1, 2);
        var k = parts[1].view(b, t, _heads, _headDim).transpose(1, 2);
        var v = parts[2].view(b, t, _heads, _headDim).transpose(1, 2);
        var y = F.scaled_dot_product_attention(q, k, v, is_casual: true);
        return y.transpose(1, 2).reshape(b, t, _width);
    }

    // The layers run through their functional forms so each parameter can pass the DDP gradient-ready tap.
    private Tensor Linear(Tensor x, Linear layer) => F.linear(x, Tap(layer.weight!), layer.bias is { } bias ? Tap(bias) : null);

    private Tensor Norm(LayerNorm norm, Tensor x) => F.layer_norm(x, norm.normalized_shape, Tap(norm.weight!), Tap(norm.bias!), norm.eps);

    private Tensor Tap(Parameter p) => Signal?.Tap(p) ?? p;
}
