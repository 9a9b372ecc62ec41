using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Multi-head causal self-attention: fused "qkv" projection, additive causal "mask" buffer (0 / -inf, as the
/// PyTorch reference registers it), output projection "proj", residual dropout.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    private readonly Dropout _residualDropout;
    private readonly double _scale;

    /// <summary>Creates the layer for <paramref name="width"/> channels split into <paramref name="heads"/> heads.</summary>
    public CausalSelfAttention(long width, int heads, long contextLength, double dropout = 0, Generator? dropoutGenerator = null,
        DType dtype = DType.Float32, Device? device = null)
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads", nameof(heads));
        Width = width;
        Heads = heads;
        HeadDim = width / heads;
        _scale = 1.0 / Math.Sqrt(HeadDim);
        Qkv = RegisterModule("qkv", new Linear(width, 3 * width, true, dtype, device));
        Proj = RegisterModule("proj", new Linear(width, width, true, dtype, device));
        Mask = RegisterBuffer("mask", Functional.CausalMask(contextLength, dtype, device));
        _residualDropout = RegisterModule("drop", new Dropout(dropout, dropoutGenerator));
    }

    /// <summary>Channels.</summary>
    public long Width { get; }
    /// <summary>Number of heads.</summary>
    public int Heads { get; }
    /// <summary>Channels per head.</summary>
    public long HeadDim { get; }
    /// <summary>Fused query/key/value projection (width → 3·width).</summary>
    public Linear Qkv { get; }
    /// <summary>Output projection.</summary>
    public Linear Proj { get; }
    /// <summary>(ctx, ctx) additive causal mask.</summary>
    public Tensor Mask { get; }

    /// <summary>(B, T, C) → (B, T, C). Intermediates go to the current <see cref="TensorScope"/>.</summary>
    public Tensor Forward(Tensor x)
    {
        var b = x.Size(0);
        var t = x.Size(1);
        var qkv = Qkv.Forward(x);
        var parts = qkv.Split(Width, 2);
        var q = parts[0].View(b, t, Heads, HeadDim).Transpose(1, 2);
        var k = parts[1].View(b, t, Heads, HeadDim).Transpose(1, 2);
        var v = parts[2].View(b, t, Heads, HeadDim).Transpose(1, 2);
        var y = Functional.Attention(q, k, v, Mask, _scale).Transpose(1, 2).Reshape(b, t, Width);
        return _residualDropout.Forward(Proj.Forward(y));
    }
}
