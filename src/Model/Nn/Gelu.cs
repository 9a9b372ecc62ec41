using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>GELU activation (exact erf form, as torch.nn.functional.gelu's default).</summary>
public sealed class Gelu : Module
{
    /// <summary>Creates the activation; <paramref name="tanhApproximation"/> selects GPT-2's tanh form.</summary>
    public Gelu(bool tanhApproximation = false) => TanhApproximation = tanhApproximation;

    /// <summary>Whether the tanh approximation is used.</summary>
    public bool TanhApproximation { get; }

    /// <summary>Applies GELU element-wise.</summary>
    public Tensor Forward(Tensor input) => Functional.Gelu(input, TanhApproximation);
}
