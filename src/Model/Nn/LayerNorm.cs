using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>Layer normalisation over the last dimension; parameters "weight" (ones) and "bias" (zeros).</summary>
public sealed class LayerNorm : Module
{
    private readonly long[] _normalizedShape;

    /// <summary>Creates the layer for width <paramref name="dim"/>.</summary>
    public LayerNorm(long dim, double eps = 1e-5, DType dtype = DType.Float32, Device? device = null)
    {
        _normalizedShape = [dim];
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones([dim], dtype, device));
        Bias = RegisterParameter("bias", Tensor.Zeros([dim], dtype, device));
    }

    /// <summary>Variance epsilon.</summary>
    public double Eps { get; }
    /// <summary>Scale.</summary>
    public Tensor Weight { get; }
    /// <summary>Shift.</summary>
    public Tensor Bias { get; }

    /// <summary>Normalises the last dimension of <paramref name="input"/>.</summary>
    public Tensor Forward(Tensor input) => Functional.LayerNorm(input, _normalizedShape, Weight, Bias, Eps);
}
