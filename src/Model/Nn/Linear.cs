using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>y = x·Wᵀ + b with W of shape (out, in); parameters "weight" and (optionally) "bias".</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with zero parameters; <see cref="Initializer"/> fills them.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, DType dtype = DType.Float32, Device? device = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Tensor.Zeros([outFeatures, inFeatures], dtype, device));
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros([outFeatures], dtype, device));
    }

    /// <summary>Input width.</summary>
    public long InFeatures { get; }
    /// <summary>Output width.</summary>
    public long OutFeatures { get; }
    /// <summary>(out, in) weight.</summary>
    public Tensor Weight { get; }
    /// <summary>(out) bias, or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the layer to the last dimension of <paramref name="input"/>.</summary>
    public Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
