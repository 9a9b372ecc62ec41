namespace ActorTrain.Actors.Training;

/// <summary>How a rank's run ended.</summary>
/// <param name="Steps">Optimizer steps completed (including resumed ones).</param>
/// <param name="LastCheckpoint">Directory of the last checkpoint written or resumed from (rank 0), or null.</param>
/// <param name="FinalLoss">Training loss of the last step (global mean per token), or null when no step ran.</param>
/// <param name="ValidationLoss">Validation loss of the final evaluation (rank 0 only).</param>
/// <param name="ExactMatch">Validation exact-match in [0, 1] of the final evaluation (rank 0, arithmetic corpus only).</param>
public sealed record TrainingOutcome(long Steps, string? LastCheckpoint, double? FinalLoss, double? ValidationLoss, double? ExactMatch)
{
    /// <summary>The final flat parameters (flat layout order: reverse registration order).</summary>
    public float[] FinalParameters { get; init; } = [];

    /// <summary>64-bit checksum of <see cref="FinalParameters"/>' bits (see <see cref="ParameterChecksum"/>).</summary>
    public ulong FinalChecksum { get; init; }

    /// <summary>Exact-match of the base before fine-tuning (rank 0 of a fine-tuning run that started at step 0), else null.</summary>
    public double? InitialExactMatch { get; init; }

    /// <summary>Whether the run stopped early (cancellation or <see cref="TrainingRunOptions.StopAfterStep"/>).</summary>
    public bool Stopped { get; init; }

    /// <summary>A few generated validation answers from the final evaluation (rank 0), e.g. "31+48= → 79 ✓".</summary>
    public IReadOnlyList<string> Samples { get; init; } = [];
}
