using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)). Attention and MLP are inlined so the
/// parameter names are ln1, ln2, qkv, proj, fc, out — exactly the PyTorch reference's Block.
/// </summary>
public sealed class TransformerBlock : Module
{
    /// <summary>Creates the block.</summary>
    public TransformerBlock(GptConfig config, Generator? dropoutGenerator = null, DType dtype = DType.Float32, Device? device = null)
    {
        Ln1 = RegisterModule("ln1", new LayerNorm(config.Width, config.LayerNormEps, dtype, device));
        Ln2 = RegisterModule("ln2", new LayerNorm(config.Width, config.LayerNormEps, dtype, device));
        Attention = RegisterInlined(new CausalSelfAttention(config.Width, config.Heads, config.ContextLength, config.Dropout,
            dropoutGenerator, dtype, device));
        Mlp = RegisterInlined(new Mlp(config.Width, config.MlpRatio, config.Dropout, dropoutGenerator, dtype, device));
    }

    /// <summary>Norm before attention.</summary>
    public LayerNorm Ln1 { get; }
    /// <summary>Norm before the MLP.</summary>
    public LayerNorm Ln2 { get; }
    /// <summary>The attention sub-layer.</summary>
    public CausalSelfAttention Attention { get; }
    /// <summary>The feed-forward sub-layer.</summary>
    public Mlp Mlp { get; }

    /// <summary>(B, T, C) → (B, T, C).</summary>
    public Tensor Forward(Tensor x)
    {
        var h = x + Attention.Forward(Ln1.Forward(x));
        return h + Mlp.Forward(Ln2.Forward(h));
    }
}
