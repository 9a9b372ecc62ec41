namespace ActorTrain.Actors.Training;

/// <summary>The job stopped because the synced gradient was non-finite in too many consecutive steps.</summary>
public sealed class NonFiniteGradientException : Exception
{
    /// <summary>Creates the exception for <paramref name="consecutive"/> bad steps ending at <paramref name="step"/>.</summary>
    public NonFiniteGradientException(long step, int consecutive)
        : base($"gradients were non-finite (NaN or Inf) in {consecutive} consecutive steps (the last at step {step}); stopping as " +
               $"actortrain.train.max-nonfinite-steps = {consecutive}. Lower actortrain.train.lr, set actortrain.train.grad-clip, " +
               "or resume from an earlier checkpoint.")
    {
        Step = step;
        Consecutive = consecutive;
    }

    /// <summary>The last skipped step (1-based).</summary>
    public long Step { get; }

    /// <summary>How many steps in a row were skipped.</summary>
    public int Consecutive { get; }
}
