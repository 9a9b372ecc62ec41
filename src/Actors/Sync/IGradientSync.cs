namespace ActorTrain.Actors.Sync;

/// <summary>
/// The collectives a synchronous DDP step needs, implemented by one sync strategy (ring or parameter server).
/// Every call is collective: all ranks of the group must make the same calls in the same order with buffers of the
/// same length, otherwise the call fails with <see cref="CollectiveFailedException"/> naming the disagreeing rank.
/// Results are bitwise identical on every rank. Calls on one instance run one at a time (they queue).
/// A failed, timed-out or cancelled collective breaks the group: every later call throws the same failure
/// (like an NCCL abort); the job restarts from its last checkpoint.
/// </summary>
public interface IGradientSync : IAsyncDisposable
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; WorldSize.</summary>
    int Rank { get; }

    /// <summary>Number of ranks in the group.</summary>
    int WorldSize { get; }

    /// <summary>Reduces <paramref name="bucket"/> element-wise over all ranks, in place.</summary>
    Task AllReduceAsync(Memory<float> bucket, ReduceOp op, CancellationToken cancellationToken = default);

    /// <summary>Overwrites <paramref name="buffer"/> on every rank with the root rank's buffer (bitwise).</summary>
    Task BroadcastAsync(Memory<float> buffer, int root, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sums a few float64 values over all ranks (token counts, loss sums, norms), in fixed rank order 0..W-1,
    /// so every rank gets the same bits. Returns a new array; <paramref name="values"/> is not modified.
    /// </summary>
    Task<double[]> AllReduceScalarsAsync(double[] values, CancellationToken cancellationToken = default);

    /// <summary>Completes once every rank has entered the barrier.</summary>
    Task BarrierAsync(CancellationToken cancellationToken = default);
}
