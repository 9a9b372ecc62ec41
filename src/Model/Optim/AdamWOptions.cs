namespace ActorTrain.Model.Optim;

/// <summary>
/// Hyper-parameters of <see cref="AdamW"/>; defaults are torch.optim.AdamW's. Doubles, like Python floats, so
/// derived scalars (1 − β1, β2^t, lr·wd) round exactly as in torch.
/// </summary>
/// <param name="Beta1">Decay of the first moment (torch betas[0]).</param>
/// <param name="Beta2">Decay of the second moment (torch betas[1]).</param>
/// <param name="Epsilon">Added to sqrt(v̂) in the denominator.</param>
/// <param name="WeightDecay">Decoupled weight decay for elements outside any <see cref="ParameterGroup"/>.</param>
public sealed record AdamWOptions(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0.01)
{
    internal void Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta1), $"AdamW betas must be in [0, 1); got ({Beta1}, {Beta2}).");
        }
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "AdamW epsilon must be a finite value ≥ 0.");
        }
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "AdamW weight decay must be a finite value ≥ 0.");
        }
    }
}
