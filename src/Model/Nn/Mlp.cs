using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>Position-wise feed-forward: "fc" (width → ratio·width), GELU, "out" (back to width), dropout.</summary>
public sealed class Mlp : Module
{
    private readonly Gelu _activation;
    private readonly Dropout _dropout;

    /// <summary>Creates the block.</summary>
    public Mlp(long width, int ratio = 4, double dropout = 0, Generator? dropoutGenerator = null, DType dtype = DType.Float32, Device? device = null)
    {
        Fc = RegisterModule("fc", new Linear(width, ratio * width, true, dtype, device));
        Out = RegisterModule("out", new Linear(ratio * width, width, true, dtype, device));
        _activation = RegisterModule("act", new Gelu());
        _dropout = RegisterModule("drop", new Dropout(dropout, dropoutGenerator));
    }

    /// <summary>Expansion layer.</summary>
    public Linear Fc { get; }
    /// <summary>Contraction layer.</summary>
    public Linear Out { get; }

    /// <summary>(…, width) → (…, width).</summary>
    public Tensor Forward(Tensor x) => _dropout.Forward(Out.Forward(_activation.Forward(Fc.Forward(x))));
}
