namespace ActorTrain.Actors.Sync;

/// <summary>
/// The collectives a synchronous DDP step needs, implemented by one sync strategy (ring or parameter server).
/// Every call is collective: all ranks of the group must make the same calls in the same order with buffers of the
/// same length, otherwise the call fails with <see cref="CollectiveFailedException"/> naming the disagreeing rank.
/// Results are bitwise identical on every rank. Calls on one instance run one at a time (they queue).
/// A failed, timed-out or cancelled collective breaks the group: every later call throws the same failure
/// (like an NCCL abort); the job restarts from its last checkpoint. Disposing while a collective runs aborts it
/// (see <see cref="Abort"/>) before the worker threads are joined, so closing never waits on a peer.
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

    /// <summary>
    /// Fails the group at once, from any thread, without waiting for any peer: every link is shut (sockets shut down,
    /// shared-memory waiters woken), the collective in flight and every later one fail with a
    /// <see cref="CollectiveFailedException"/> carrying <paramref name="reason"/> and naming <paramref name="failedRank"/>
    /// when given, and the neighbours get an abort notice with the same cause. For a peer that stopped responding
    /// without closing its connections (a frozen or unreachable node), which only membership can tell.
    /// Idempotent: the first failure wins. Dispose the group afterwards.
    /// </summary>
    /// <param name="reason">Why, in words the user can act on ("node X has been unreachable for 5.2 s").</param>
    /// <param name="failedRank">The rank held responsible, or null when it is not one rank.</param>
    void Abort(string reason, int? failedRank = null);

    /// <summary>
    /// Whether <see cref="ReduceScatterAsync"/> and <see cref="AllGatherAsync"/> move only the shards (about half the
    /// work of an all-reduce each) rather than falling back to a full all-reduce and one broadcast per rank.
    /// The sharded optimizer (<c>actortrain.job.sync.shard-optimizer = auto</c>) is used only when this is true.
    /// </summary>
    bool HasNativeShardedCollectives => false;

    /// <summary>
    /// Reduces <paramref name="buffer"/> over all ranks so that afterwards this rank's <see cref="ShardPartition"/>
    /// shard holds the result (bitwise identical to what <see cref="AllReduceAsync"/> would leave there); what the rest
    /// of the buffer holds is unspecified. Fallback: a full all-reduce.
    /// </summary>
    Task ReduceScatterAsync(Memory<float> buffer, ReduceOp op, CancellationToken cancellationToken = default) =>
        AllReduceAsync(buffer, op, cancellationToken);

    /// <summary>
    /// Fills every rank's <see cref="ShardPartition"/> shard of <paramref name="buffer"/>, on every rank, with that
    /// rank's shard (bitwise). Fallback: one broadcast per rank, each rooted at the shard's owner.
    /// </summary>
    Task AllGatherAsync(Memory<float> buffer, CancellationToken cancellationToken = default) =>
        AllGatherByBroadcasts.RunAsync(this, buffer, cancellationToken);
}
