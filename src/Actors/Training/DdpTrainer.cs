using ActorTrain.Actors.Sync;

namespace ActorTrain.Actors.Training;

/// <summary>
/// The training engine every rank runs: single process (world 1, <see cref="SingleRankSync"/>) or one rank of a DDP
/// group. Follows DESIGN.md's synchronous DDP step: rank 0's parameters broadcast, DistributedSampler shards,
/// K micro-batches with sum-reduced loss and no communication until the last, token count summed over micro-batches
/// and ranks, bucketed all-reduce overlapping the last backward, global-norm clipping, warmup + cosine schedule,
/// AdamW/SGD on the flat buffer; rank 0 alone evaluates, writes metrics and checkpoints.
/// </summary>
public static class DdpTrainer
{
    /// <summary>
    /// Runs the whole job on this rank (rank = <c>sync.Rank</c>, world = <c>sync.WorldSize</c>). The work happens
    /// synchronously on the calling thread (libtorch's grad mode and tensor scopes are per thread): run it on a
    /// dedicated thread; the returned task is already complete. Failures (a <see cref="CollectiveFailedException"/> from
    /// <paramref name="sync"/>, a <see cref="NonFiniteGradientException"/>, a bad checkpoint) fault the task. On
    /// cancellation of any rank every rank stops after the same step; rank 0 saves a checkpoint.
    /// </summary>
    public static Task<TrainingOutcome> RunAsync(TrainingRunOptions options, IGradientSync sync, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(observer);
        try
        {
            using var session = new TrainingSession(options, sync, observer);
            return Task.FromResult(session.Run(cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<TrainingOutcome>(e);
        }
    }
}
