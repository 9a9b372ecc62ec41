namespace ActorTrain.Model.Optim;

/// <summary>
/// Linear warmup from <see cref="InitialLr"/> to <see cref="PeakLr"/> over <see cref="WarmupSteps"/> steps,
/// then cosine decay to <see cref="MinLr"/> at <see cref="TotalSteps"/>, then constant <see cref="MinLr"/>.
/// A pure function of the step (0-based: step s is the learning rate of the (s+1)-th optimizer step), so
/// its only state in a checkpoint is the step itself. When warmup and total coincide, the step at the
/// end of warmup already gets <see cref="MinLr"/>.
/// </summary>
/// <param name="InitialLr">Learning rate at step 0 when there is a warmup.</param>
/// <param name="PeakLr">Learning rate reached at step <paramref name="WarmupSteps"/>.</param>
/// <param name="MinLr">Learning rate at and after <paramref name="TotalSteps"/>.</param>
/// <param name="WarmupSteps">Length of the linear warmup (0 = start at the peak).</param>
/// <param name="TotalSteps">Step at which the cosine reaches <paramref name="MinLr"/>.</param>
public sealed record LearningRateSchedule(double InitialLr, double PeakLr, double MinLr, long WarmupSteps, long TotalSteps)
{
    /// <summary>Throws an exception naming the offending setting when the schedule is not usable.</summary>
    public LearningRateSchedule Validate()
    {
        foreach (var (name, value) in new[] { ("initial-lr", InitialLr), ("peak lr", PeakLr), ("min-lr", MinLr) })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"Learning-rate schedule: {name} must be a finite value ≥ 0.");
            }
        }
        if (MinLr > PeakLr)
        {
            throw new ArgumentOutOfRangeException(nameof(MinLr), MinLr, $"Learning-rate schedule: min-lr {MinLr} exceeds the peak lr {PeakLr}.");
        }
        if (WarmupSteps < 0 || TotalSteps < WarmupSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupSteps),
                $"Learning-rate schedule: need 0 ≤ warmup steps ({WarmupSteps}) ≤ total steps ({TotalSteps}).");
        }
        return this;
    }

    /// <summary>The learning rate for 0-based optimizer step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Steps are counted from 0.");
        }
        if (step < WarmupSteps)
        {
            return InitialLr + (PeakLr - InitialLr) * ((double)step / WarmupSteps);
        }
        if (step >= TotalSteps)
        {
            return MinLr;
        }
        if (step == WarmupSteps)
        {
            return PeakLr; // exact, where the cosine formula could be off by one rounding
        }
        var progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinLr + (PeakLr - MinLr) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
