using ActorTrain.Actors.Sync;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// A rank's gradient sync that counts the bytes of the gradient buckets it is handed (all-reduce, reduce-scatter) —
/// the figure PyTorch DDP's comm hook sees — and passes every call on unchanged.
/// </summary>
internal sealed class CountingGradientSync(IGradientSync inner) : IGradientSync
{
    private long _bucketBytes;

    /// <summary>Bytes of gradient buckets handed to the collectives so far.</summary>
    public long BucketBytes => Interlocked.Read(ref _bucketBytes);

    public int Rank => inner.Rank;

    public int WorldSize => inner.WorldSize;

    public bool HasNativeShardedCollectives => inner.HasNativeShardedCollectives;

    public Task AllReduceAsync(Memory<float> bucket, ReduceOp op, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _bucketBytes, (long)bucket.Length * sizeof(float));
        return inner.AllReduceAsync(bucket, op, cancellationToken);
    }

    public Task ReduceScatterAsync(Memory<float> buffer, ReduceOp op, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _bucketBytes, (long)buffer.Length * sizeof(float));
        return inner.ReduceScatterAsync(buffer, op, cancellationToken);
    }

    public Task AllGatherAsync(Memory<float> buffer, CancellationToken cancellationToken = default) => inner.AllGatherAsync(buffer, cancellationToken);

    public Task BroadcastAsync(Memory<float> buffer, int root, CancellationToken cancellationToken = default) => inner.BroadcastAsync(buffer, root, cancellationToken);

    public Task<double[]> AllReduceScalarsAsync(double[] values, CancellationToken cancellationToken = default) => inner.AllReduceScalarsAsync(values, cancellationToken);

    public Task BarrierAsync(CancellationToken cancellationToken = default) => inner.BarrierAsync(cancellationToken);

    public void Abort(string reason, int? failedRank = null) => inner.Abort(reason, failedRank);

    // The group owns the inner members and disposes them.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
