using ActorTrain.Actors.Settings;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

/// <summary>Called with the gradient of optimizer step <c>step</c> (0-based) summed over ranks, before it is divided by
/// the token count, checked for non-finite values and clipped; may modify it (fault injection in tests, gradient
/// inspection). With the sharded optimizer only this rank's shard of each bucket holds the sum (see
/// <see cref="GradientBucketPlan.ShardsOf"/>); the rest of the buffer is unspecified.</summary>
public delegate void GradientInspector(long step, Span<float> gradients);

/// <summary>What one rank needs to run a training job.</summary>
/// <param name="Settings">The validated settings (model, data, train, job.run-dir, job.sync.bucket-cap).</param>
/// <param name="EffectiveConfigText">The effective configuration as text; saved in every checkpoint.</param>
/// <param name="LoggerFactory">Where the engine logs (each rank logs its parameter checksum).</param>
public sealed record TrainingRunOptions(ActorTrainSettings Settings, string EffectiveConfigText, ILoggerFactory LoggerFactory)
{
    /// <summary>Stop (with a checkpoint, as on cancellation) once this many optimizer steps are complete; null = run to
    /// train.steps. The schedule still spans train.steps, so the run continues bitwise-identically when resumed.</summary>
    public long? StopAfterStep { get; init; }

    /// <summary>Overlap bucket all-reduces with the last micro-batch's backward (default); false syncs all buckets after backward.</summary>
    public bool OverlapGradientSync { get; init; } = true;

    /// <summary>Optional hook on the synced gradient of every step (see <see cref="GradientInspector"/>).</summary>
    public GradientInspector? InspectGradients { get; init; }

    /// <summary>Where every rank records each finished step (metrics and dashboard); null = not recorded.</summary>
    public Monitoring.RankStepStats? StepStats { get; init; }
}
