namespace ActorTrain.Model.Optim;

/// <summary>Hyper-parameters of <see cref="SgdMomentum"/>, as in torch.optim.SGD.</summary>
/// <param name="Momentum">Momentum factor (0 = plain SGD).</param>
/// <param name="Dampening">Dampening of the momentum update.</param>
/// <param name="Nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening 0, as in PyTorch).</param>
/// <param name="WeightDecay">L2 penalty (added to the gradient) for elements outside any <see cref="ParameterGroup"/>.</param>
public sealed record SgdOptions(double Momentum = 0.9, double Dampening = 0, bool Nesterov = false, double WeightDecay = 0)
{
    internal void Validate()
    {
        if (!(Momentum >= 0) || !double.IsFinite(Momentum))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "SGD momentum must be a finite value ≥ 0.");
        }
        if (!double.IsFinite(Dampening))
        {
            throw new ArgumentOutOfRangeException(nameof(Dampening), Dampening, "SGD dampening must be finite.");
        }
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "SGD weight decay must be a finite value ≥ 0.");
        }
        if (Nesterov && (Momentum <= 0 || Dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum > 0 and zero dampening (as torch.optim.SGD).");
        }
    }
}
