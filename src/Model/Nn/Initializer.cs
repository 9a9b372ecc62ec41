using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>Weight initialisers (torch.nn.init semantics) drawing from an explicit <see cref="Generator"/>.</summary>
public static class Initializer
{
    /// <summary>Standard deviation of the GPT-2 normal initialisation.</summary>
    public const double Gpt2Std = 0.02;

    /// <summary>Fills every Linear/Embedding/LayerNorm in <paramref name="module"/> by <paramref name="scheme"/>, in module order.</summary>
    public static void Apply(Module module, InitScheme scheme, Generator generator)
    {
        using var _ = Torch.NoGrad();
        foreach (var m in module.Modules())
        {
            switch (m)
            {
                case Linear linear:
                    InitLinear(linear, scheme, generator);
                    break;
                case Embedding embedding:
                    Normal(embedding.Weight, 0, scheme == InitScheme.PyTorchDefault ? 1.0 : Gpt2Std, generator);
                    break;
                case LayerNorm norm:
                    norm.Weight.FillInPlace(1);
                    norm.Bias.FillInPlace(0);
                    break;
            }
        }
    }

    private static void InitLinear(Linear linear, InitScheme scheme, Generator generator)
    {
        switch (scheme)
        {
            case InitScheme.Gpt2Normal: Normal(linear.Weight, 0, Gpt2Std, generator); break;
            case InitScheme.XavierUniform: XavierUniform(linear.Weight, generator); break;
            case InitScheme.XavierNormal: XavierNormal(linear.Weight, generator); break;
            case InitScheme.KaimingUniform: KaimingUniform(linear.Weight, generator); break;
            case InitScheme.KaimingNormal: KaimingNormal(linear.Weight, generator); break;
            case InitScheme.PyTorchDefault:
                KaimingUniform(linear.Weight, generator, Math.Sqrt(5));
                if (linear.Bias is not null)
                {
                    var bound = 1.0 / Math.Sqrt(linear.InFeatures);
                    linear.Bias.UniformInPlace(-bound, bound, generator);
                }
                return;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown init scheme");
        }
        linear.Bias?.FillInPlace(0);
    }

    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (torch's _calculate_fan_in_and_fan_out).</summary>
    public static (long FanIn, long FanOut) Fans(Tensor weight)
    {
        var shape = weight.Shape;
        if (shape.Length < 2) throw new ArgumentException($"fan in/out needs at least 2 dims, got [{string.Join(", ", shape)}]");
        long receptive = 1;
        for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>U(-a, a) with a = gain·√(6/(fan_in+fan_out)).</summary>
    public static void XavierUniform(Tensor weight, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(weight);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        weight.UniformInPlace(-bound, bound, generator);
    }

    /// <summary>N(0, σ²) with σ = gain·√(2/(fan_in+fan_out)).</summary>
    public static void XavierNormal(Tensor weight, Generator generator, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(weight);
        weight.NormalInPlace(0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>U(-b, b) with b = √3·gain/√fan_in, gain = √(2/(1+a²)) (leaky-ReLU gain; a = 0 is ReLU).</summary>
    public static void KaimingUniform(Tensor weight, Generator generator, double a = 0)
    {
        var (fanIn, _) = Fans(weight);
        var gain = Math.Sqrt(2.0 / (1 + a * a));
        var bound = Math.Sqrt(3.0) * gain / Math.Sqrt(fanIn);
        weight.UniformInPlace(-bound, bound, generator);
    }

    /// <summary>N(0, σ²) with σ = gain/√fan_in, gain = √(2/(1+a²)).</summary>
    public static void KaimingNormal(Tensor weight, Generator generator, double a = 0)
    {
        var (fanIn, _) = Fans(weight);
        weight.NormalInPlace(0, Math.Sqrt(2.0 / (1 + a * a)) / Math.Sqrt(fanIn), generator);
    }

    /// <summary>N(mean, std²).</summary>
    public static void Normal(Tensor weight, double mean, double std, Generator generator)
    {
        using var _ = Torch.NoGrad();
        weight.NormalInPlace(mean, std, generator);
    }

    /// <summary>All zeros.</summary>
    public static void Zeros(Tensor weight)
    {
        using var _ = Torch.NoGrad();
        weight.ZeroInPlace();
    }
}
