using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Sync;
using ActorTrain.Model.Data;

namespace ActorTrain.Actors.Training;

/// <summary>What one <see cref="DdpStepRunner.RunStep"/> produced.</summary>
/// <param name="Loss">Mean token loss over every rank's micro-batches (null when no token had a target).</param>
/// <param name="GradNorm">Global gradient norm before clipping (null when the step was skipped as non-finite).</param>
/// <param name="LearningRate">The rate this step used.</param>
/// <param name="GlobalTokens">Input tokens of this step over all ranks.</param>
/// <param name="Compute">This rank's forward + backward time.</param>
/// <param name="SyncWait">Time spent waiting for the gradient sync after backward (buckets not yet summed, scalar all-reduce).</param>
/// <param name="Optimizer">Averaging, non-finite check, clipping and the optimizer step.</param>
public sealed record DdpStepResult(double? Loss, double? GradNorm, double LearningRate, long GlobalTokens,
    TimeSpan Compute, TimeSpan SyncWait, TimeSpan Optimizer);

/// <summary>
/// The DDP engine one step at a time: the same session, model, flat buffers, bucketed (overlapped) gradient sync,
/// averaging, clipping, schedule and optimizer that <see cref="DdpTrainer"/> runs, but with the caller choosing the
/// sequences of each step and no evaluation, metrics or checkpoints. Used by <c>actortrain bench ddp</c> so that the
/// benchmark measures the engine users run. Construction broadcasts rank 0's parameters (or resumes, as configured), so
/// every rank of the sync group must construct one. Like <see cref="DdpTrainer"/>, it computes on the calling
/// thread and libtorch state is per thread: create it, step it and dispose it on one dedicated thread.
/// </summary>
public sealed class DdpStepRunner : IDisposable
{
    private readonly TrainingSession _session;

    /// <summary>Builds this rank's engine and broadcasts the initial parameters.</summary>
    public DdpStepRunner(TrainingRunOptions options, IGradientSync sync, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sync);
        _session = new TrainingSession(options, sync, observer ?? IgnoreEvents.Instance);
        try
        {
            _session.PrepareSteps();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>Gradient buckets per step.</summary>
    public int BucketCount => _session.BucketCount;

    /// <summary>Model parameters.</summary>
    public long ParameterCount => _session.ParameterCount;

    /// <summary>Optimizer steps completed.</summary>
    public long Step => _session.Step;

    /// <summary>
    /// One synchronous DDP step on <paramref name="sequences"/> (this rank's micro-batch-size × grad-accum-steps
    /// sequences): every rank must call it the same number of times.
    /// </summary>
    /// <exception cref="NonFiniteGradientException">Too many non-finite steps in a row.</exception>
    public DdpStepResult RunStep(IReadOnlyList<TrainingSequence> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var r = _session.RunStep(stopVote: false, sequences);
        static TimeSpan T(long ticks) => TimeSpan.FromSeconds((double)ticks / System.Diagnostics.Stopwatch.Frequency);
        return new DdpStepResult(r.Loss, r.GradNorm, r.LearningRate, r.GlobalTokens, T(r.PhaseTicks.Compute), T(r.PhaseTicks.SyncWait), T(r.PhaseTicks.Optimizer));
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private sealed class IgnoreEvents : ITrainingObserver
    {
        public static readonly IgnoreEvents Instance = new();

        public void OnEvent(TrainingEvent e)
        {
        }
    }
}
