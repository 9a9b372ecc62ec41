using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Sync.SharedMemory;
using ActorTrain.Actors.Sync.Transport;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync.Ring;

/// <summary>
/// Ring all-reduce over links to the next and previous rank. All-reduce is a reduce-scatter (W−1 steps: each rank
/// adds the segment arriving from its predecessor to its own copy and passes it on) followed by an all-gather
/// (W−1 steps of copying finished segments). Each segment's sum is computed once, by one rank, in ring order, and
/// then copied to everyone, so all ranks hold the same bits. Transfers are chunked: the send thread forwards chunk j
/// of step t as soon as the receive thread has reduced chunk j of step t−1.
/// When every rank is on one machine (and TCP is not forced), all-reduces go through a
/// <see cref="SharedMemoryArena"/> mapped by the whole group instead (see <see cref="ArenaAllReduce"/>); broadcasts,
/// scalars and barriers always use the ring links.
/// </summary>
public sealed class RingAllReduceSync : IGradientSync
{
    private const string Purpose = "ring";

    private readonly GradientSyncOptions _options;
    private readonly PeerLink? _next;
    private readonly PeerLink? _previous;
    private readonly FailureLatch _latch;
    private readonly CollectiveRunner _runner;
    private readonly int _chunkFloats;
    private readonly int _allReduceChunkFloats;
    private readonly bool _lockstep;
    private readonly TcpRingPump? _pump;
    private readonly SharedMemoryArena? _arena;
    private readonly ArenaAllReduce? _arenaAllReduce;
    private readonly IReadOnlyList<PeerEndpoint> _ranks;
    private long _sequence;
    private int _disposed;

    private RingAllReduceSync(int rank, IReadOnlyList<PeerEndpoint> ranks, GradientSyncOptions options, PeerLink? next, PeerLink? previous,
        FailureLatch latch, SharedMemoryArena? arena = null)
    {
        int worldSize = ranks.Count;
        _ranks = ranks;
        Rank = rank;
        WorldSize = worldSize;
        _options = options;
        _next = next;
        _previous = previous;
        _latch = latch;
        _chunkFloats = options.ChunkBytes / sizeof(float);
        int allReduceChunkBytes = SyncTopology.RingHasTcpLink(options.Transport, ranks) ? options.TcpChunkBytes : options.ChunkBytes;
        _allReduceChunkFloats = allReduceChunkBytes / sizeof(float);
        _runner = new CollectiveRunner(rank, $"ring rank {rank}", options, latch);
        _lockstep = next is not null && CanHoldChunk(next.Channel.Kind, allReduceChunkBytes, options);
        if (next is not null && previous is not null && arena is null && TcpRingPump.Supports(next.Channel, previous.Channel))
            _pump = new TcpRingPump(allReduceChunkBytes);
        if (next is not null) latch.Watch(next);
        if (previous is not null) latch.Watch(previous);
        if (arena is not null)
        {
            _arena = arena;
            _arenaAllReduce = new ArenaAllReduce(arena, rank);
            latch.AbortToken.Register(arena.Abort);
        }
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize { get; }

    /// <summary>A listener the ring disposes with itself (set by the factory when it bound one).</summary>
    internal SyncListener? OwnedListener { get; set; }

    /// <summary>The transport used towards the next rank ("tcp", "shared-memory"), or "none" for a single rank.</summary>
    public string TransportToNext => _next?.Channel.Kind ?? "none";

    /// <summary>How all-reduces travel: "shared-memory-arena", or the ring's transport ("tcp", "shared-memory"), or "none".</summary>
    public string AllReduceTransport => _arena is not null ? "shared-memory-arena" : TransportToNext;

    /// <summary>
    /// Joins the ring: connects to rank+1 and accepts rank−1 through <paramref name="listener"/> (bound at this
    /// rank's endpoint). <paramref name="ranks"/> lists every rank's endpoint, index = rank. Waits up to
    /// <see cref="GradientSyncOptions.ConnectTimeout"/> for the neighbours to appear. <paramref name="dataLinkToken"/> is
    /// the job's token (see <see cref="DataLinkToken"/>): presented to rank+1, and required from rank−1 by the listener.
    /// </summary>
    public static async Task<RingAllReduceSync> CreateAsync(
        SyncListener listener, IReadOnlyList<PeerEndpoint> ranks, int localRank, byte[] dataLinkToken, GradientSyncOptions options,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        listener.SetDataLinkToken(dataLinkToken);
        SyncTopology.ValidateRanks(ranks, localRank);
        int world = ranks.Count;
        var latch = new FailureLatch(localRank, options);
        if (world == 1) return new RingAllReduceSync(localRank, ranks, options, null, null, latch);

        var self = ranks[localRank];
        var next = ranks[(localRank + 1) % world];
        var previous = ranks[(localRank - 1 + world) % world];
        var channelKind = SyncTopology.ChannelFor(options.Transport, self, next);
        var connect = LinkConnector.ConnectAsync(next, SyncTopology.Describe(next), next.Rank, Purpose, localRank, channelKind, dataLinkToken,
            options, cancellationToken);
        var accept = listener.AcceptAsync(Purpose, previous.Rank, SyncTopology.Describe(previous), cancellationToken);
        try
        {
            await Task.WhenAll(connect, accept).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (connect.IsCompletedSuccessfully) connect.Result.Dispose();
            if (accept.IsCompletedSuccessfully) accept.Result.Dispose();
            throw new CollectiveFailedException("joining the ring", localRank, null, null, ex.Message, ex);
        }
        SharedMemoryArena? arena = null;
        if (options.Transport is not (TransportKind.Tcp or TransportKind.Akka) && options.UseSharedMemoryArena && ranks.All(self.IsSameMachineAs))
        {
            try
            {
                arena = await ArenaHandshake.EstablishAsync(connect.Result, accept.Result, localRank, world, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                connect.Result.Dispose();
                accept.Result.Dispose();
                throw new CollectiveFailedException("setting up the shared-memory arena", localRank, null, null, ex.Message, ex);
            }
        }
        return new RingAllReduceSync(localRank, ranks, options, connect.Result, accept.Result, latch, arena);
    }

    /// <inheritdoc />
    public bool HasNativeShardedCollectives =>
        _arenaAllReduce is not null && ArenaAllReduce.ShardedPieceFloats(_arena!.ChunkFloats, WorldSize) >= 1;

    /// <inheritdoc />
    public Task ReduceScatterAsync(Memory<float> buffer, ReduceOp op, CancellationToken cancellationToken = default) =>
        HasNativeShardedCollectives
            ? RunShardedInArenaAsync(CollectiveOp.ReduceScatter, buffer, (long)op, cancellationToken)
            : AllReduceAsync(buffer, op, cancellationToken);

    /// <inheritdoc />
    public Task AllGatherAsync(Memory<float> buffer, CancellationToken cancellationToken = default) =>
        HasNativeShardedCollectives
            ? RunShardedInArenaAsync(CollectiveOp.AllGather, buffer, 0, cancellationToken)
            : AllGatherByBroadcasts.RunAsync(this, buffer, cancellationToken);

    /// <summary>A reduce-scatter or all-gather through the arena, queued like every other collective of this rank.</summary>
    private Task RunShardedInArenaAsync(CollectiveOp op, Memory<float> buffer, long argument, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var header = new CollectiveHeader(op, Interlocked.Increment(ref _sequence), buffer.Length, argument);
        return _runner.RunAsync(header.Describe, null, () => RunInArena(_arenaAllReduce!, buffer.Span, header), cancellationToken);
    }

    /// <inheritdoc />
    public async Task AllReduceAsync(Memory<float> bucket, ReduceOp op, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (WorldSize == 1) return;
        var header = new CollectiveHeader(CollectiveOp.AllReduce, Interlocked.Increment(ref _sequence), bucket.Length, (long)op);
        if (_arenaAllReduce is { } arena)
        {
            await _runner.RunAsync(header.Describe, null, () => RunInArena(arena, bucket.Span, header), cancellationToken).ConfigureAwait(false);
            return; // the arena averages while reducing
        }
        var plan = new RingPlan(bucket.Length, WorldSize, _allReduceChunkFloats);
        int world = WorldSize, rank = Rank, steps = 2 * (world - 1);
        var next = _next!;
        var previous = _previous!;
        using var reduced = new SemaphoreSlim(0);
        var abort = _latch.AbortToken;

        void Send()
        {
            next.SendHeader(header);
            var data = bucket.Span;
            for (int t = 0; t < steps; t++)
            {
                int segment = Mod(rank - t, world);
                for (int c = 0, n = plan.ChunkCount(segment); c < n; c++)
                {
                    if (t > 0) reduced.Wait(abort); // forward only what step t−1 finished
                    var (offset, length) = plan.Chunk(segment, c);
                    next.Send(data.Slice(offset, length));
                }
            }
        }

        // One thread alternates: send chunk c of step t, then receive (and reduce) chunk c of step t. Each rank is at
        // most one chunk ahead of what it has received, so this cannot deadlock while a channel buffers a whole chunk.
        void Lockstep()
        {
            next.SendHeader(header);
            previous.ReceiveHeader(header);
            var data = bucket.Span;
            for (int t = 0; t < steps; t++)
            {
                int outgoing = Mod(rank - t, world), incoming = Mod(rank - t - 1, world);
                int sends = plan.ChunkCount(outgoing), receives = plan.ChunkCount(incoming);
                for (int c = 0; c < Math.Max(sends, receives); c++)
                {
                    if (c < sends)
                    {
                        var (offset, length) = plan.Chunk(outgoing, c);
                        next.Send(data.Slice(offset, length));
                    }
                    if (c < receives)
                    {
                        var (offset, length) = plan.Chunk(incoming, c);
                        var target = data.Slice(offset, length);
                        if (t < world - 1) previous.ReceiveAdd(target);
                        else previous.Receive(target);
                    }
                }
            }
        }

        // TCP on Linux: one thread, non-blocking sockets; every chunk goes out as soon as its data is ready.
        void Pumped()
        {
            next.SendHeader(header);
            previous.ReceiveHeader(header);
            var (sends, receives) = RingPumpSchedule.Build(plan, rank, world);
            _pump!.Run(next, previous, bucket.Span, CollectionsMarshal.AsSpan(sends), CollectionsMarshal.AsSpan(receives), abort);
        }

        void Receive()
        {
            previous.ReceiveHeader(header);
            var data = bucket.Span;
            for (int t = 0; t < steps; t++)
            {
                int segment = Mod(rank - t - 1, world);
                for (int c = 0, n = plan.ChunkCount(segment); c < n; c++)
                {
                    var (offset, length) = plan.Chunk(segment, c);
                    var target = data.Slice(offset, length);
                    if (t < world - 1) previous.ReceiveAdd(target);
                    else previous.Receive(target);
                    if (t < steps - 1) reduced.Release();
                }
            }
        }

        if (_pump is not null) await _runner.RunAsync(header.Describe, null, Pumped, cancellationToken).ConfigureAwait(false);
        else if (_lockstep) await _runner.RunAsync(header.Describe, null, Lockstep, cancellationToken).ConfigureAwait(false);
        else await _runner.RunAsync(header.Describe, Send, Receive, cancellationToken).ConfigureAwait(false);
        if (op == ReduceOp.Average)
        {
            var data = bucket.Span;
            TensorPrimitives.Divide(data, world, data); // same bits in, same bits out on every rank
        }
    }

    /// <inheritdoc />
    public async Task BroadcastAsync(Memory<float> buffer, int root, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        if (WorldSize == 1) return;
        var header = new CollectiveHeader(CollectiveOp.Broadcast, Interlocked.Increment(ref _sequence), buffer.Length, root);
        int world = WorldSize, chunk = _chunkFloats, length = buffer.Length;
        int position = Mod(Rank - root, world); // 0 = root, world−1 = end of the chain
        int chunks = (length + chunk - 1) / chunk;
        var next = _next!;
        var previous = _previous!;
        using var arrived = new SemaphoreSlim(0);
        var abort = _latch.AbortToken;

        void Send()
        {
            next.SendHeader(header);
            var data = buffer.Span;
            for (int c = 0; c < chunks; c++)
            {
                if (position > 0) arrived.Wait(abort);
                int offset = c * chunk;
                next.Send(data.Slice(offset, Math.Min(chunk, length - offset)));
            }
        }

        void Receive()
        {
            previous.ReceiveHeader(header);
            var data = buffer.Span;
            for (int c = 0; c < chunks; c++)
            {
                int offset = c * chunk;
                previous.Receive(data.Slice(offset, Math.Min(chunk, length - offset)));
                if (position < world - 1) arrived.Release();
            }
        }

        await _runner.RunAsync(header.Describe, position == world - 1 ? null : Send, position == 0 ? null : Receive, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<double[]> AllReduceScalarsAsync(double[] values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return ScalarsAsync(CollectiveOp.Scalars, values, cancellationToken);
    }

    /// <inheritdoc />
    public Task BarrierAsync(CancellationToken cancellationToken = default) => ScalarsAsync(CollectiveOp.Barrier, [], cancellationToken);

    /// <inheritdoc />
    public void Abort(string reason, int? failedRank = null) =>
        _latch.Abort(reason, failedRank, failedRank is int r && r >= 0 && r < _ranks.Count ? SyncTopology.Describe(_ranks[r]) : null);

    /// <summary>Whether the worker threads have ended (after disposal): nothing of this group waits on a peer any more.</summary>
    internal bool WorkersStopped => _runner.HasStopped;

    /// <summary>
    /// Says goodbye to the neighbours and closes the links. A collective still in flight is aborted first (it fails
    /// with <see cref="CollectiveFailedException"/>), so closing never waits on a peer.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _latch.BeginClose();
        if (_runner.IsBusy) Abort("the sync group was closed while this collective was running");
        else
        {
            _next?.SendGoodbye();
            _previous?.SendGoodbye();
        }
        if (_runner.Stop())
        {
            _next?.Dispose();
            _previous?.Dispose();
            _arena?.Dispose();
            _latch.Dispose();
        }
        else
        {
            // A worker still runs (it should have seen the abort): leave its sockets and mappings alone rather than
            // pull memory from under it. Freed when the process ends.
            Abort("the sync group was closed");
            _options.Logger?.LogWarning("Sync rank {Rank}: a collective worker did not stop within {Bound} s of closing; its links are left to the process end",
                Rank, CollectiveRunner.JoinBound.TotalSeconds);
        }
        if (OwnedListener is not null) await OwnedListener.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Left fold around the ring: rank r receives the sum of ranks 0..r−1, adds its own values and passes it on;
    /// rank W−1 then sends the total around to everyone else. The float64 sum is always ((v0+v1)+v2)+…, and every
    /// rank receives the same bits.
    /// </summary>
    private async Task<double[]> ScalarsAsync(CollectiveOp op, double[] values, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        double[] result = (double[])values.Clone();
        if (WorldSize == 1) return result;
        var header = new CollectiveHeader(op, Interlocked.Increment(ref _sequence), values.Length, 0);
        int world = WorldSize, rank = Rank;
        var next = _next!;
        var previous = _previous!;

        void Run()
        {
            bool headerIn = false, headerOut = false;
            void Out(double[] data)
            {
                if (!headerOut) { next.SendHeader(header); headerOut = true; }
                next.Send(MemoryMarshal.AsBytes(data.AsSpan()));
            }
            void In(double[] data)
            {
                if (!headerIn) { previous.ReceiveHeader(header); headerIn = true; }
                previous.Receive(MemoryMarshal.AsBytes(data.AsSpan()));
            }

            if (rank > 0)
            {
                var partial = new double[values.Length];
                In(partial);
                for (int i = 0; i < result.Length; i++) result[i] = partial[i] + values[i];
            }
            if (rank < world - 1) Out(result);
            if (rank == world - 1) Out(result);
            else
            {
                In(result);
                if (rank != world - 2) Out(result);
            }
        }

        await _runner.RunAsync(header.Describe, null, Run, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Whether the channel to the next rank buffers a whole chunk frame without the receiver reading (kernel socket
    /// buffers, or the shared-memory ring's slots). Then one thread per rank can alternate sending and receiving,
    /// which on machines with fewer cores than ranks beats a send thread and a receive thread handing chunks to each
    /// other; otherwise the two-thread pipeline is used. Both put the same frames on the wire.
    /// </summary>
    private static bool CanHoldChunk(string channelKind, int chunkBytes, GradientSyncOptions options) => channelKind switch
    {
        "tcp" => 2L * (chunkBytes + CollectiveHeader.EncodedSize + 64) <= options.SocketBufferBytes,
        "akka" => false, // its credit window is in Akka chunks, not ring chunks: a send and a receive thread are always safe
        _ => (long)options.SharedMemorySlots * options.SharedMemorySlotBytes >= chunkBytes + 2L * options.SharedMemorySlotBytes,
    };

    private void RunInArena(ArenaAllReduce arena, Span<float> bucket, in CollectiveHeader header)
    {
        try
        {
            if (header.Op == CollectiveOp.AllReduce) arena.Run(bucket, header);
            else arena.RunSharded(bucket, header, gather: header.Op == CollectiveOp.AllGather);
        }
        catch (ArenaMismatchException mismatch)
        {
            _latch.Fail(new CollectiveFailedException(header.Describe(), Rank, mismatch.Rank, SyncTopology.Describe(_ranks[mismatch.Rank]),
                $"the ranks disagree about the collective: it called {mismatch.Announced.Describe()}, this rank called {header.Describe()}", mismatch));
            throw;
        }
    }

    private static int Mod(int value, int modulus) => ((value % modulus) + modulus) % modulus;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
