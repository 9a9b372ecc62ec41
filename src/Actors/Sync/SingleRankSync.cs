namespace ActorTrain.Actors.Sync;

/// <summary>The world-1 group: every collective is the identity (a single-process run of the DDP engine).</summary>
public sealed class SingleRankSync : IGradientSync
{
    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int WorldSize => 1;

    /// <inheritdoc />
    public Task AllReduceAsync(Memory<float> bucket, ReduceOp op, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task BroadcastAsync(Memory<float> buffer, int root, CancellationToken cancellationToken = default)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "a world-1 group has only rank 0");
        return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<double[]> AllReduceScalarsAsync(double[] values, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<double[]>(cancellationToken) : Task.FromResult((double[])values.Clone());

    /// <inheritdoc />
    public Task BarrierAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>A world-1 group has no peer to wait on: every collective completes at once, so nothing is aborted.</remarks>
    public void Abort(string reason, int? failedRank = null) { }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
