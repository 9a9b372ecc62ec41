using ActorTrain.Actors.Sync.Transport;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync.ParameterServer;

/// <summary>
/// The parameter-server strategy as seen by one rank: every collective's buffer is cut into one range per
/// <see cref="ParameterServerShard"/>; the rank pushes each range to its shard and pulls back the reduced bytes,
/// which are the same bytes for every rank. Pushes and pulls run on separate threads, chunk by chunk, round-robin over
/// the shards so that all shards work at once. Scalars and barriers go through shard 0.
/// </summary>
public sealed class ParameterServerSync : IGradientSync
{
    private readonly PeerLink[] _servers;
    private readonly FailureLatch _latch;
    private readonly CollectiveRunner _runner;
    private readonly int _chunkFloats;
    private readonly ILogger? _logger;
    private long _sequence;
    private int _disposed;

    private ParameterServerSync(int rank, int worldSize, PeerLink[] servers, GradientSyncOptions options, FailureLatch latch)
    {
        Rank = rank;
        WorldSize = worldSize;
        _servers = servers;
        _latch = latch;
        _chunkFloats = options.ChunkBytes / sizeof(float);
        _runner = new CollectiveRunner(rank, $"ps client rank {rank}", options, latch);
        _logger = options.Logger;
        foreach (var server in servers) latch.Watch(server);
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int WorldSize { get; }

    /// <summary>Number of parameter-server shards.</summary>
    public int ShardCount => _servers.Length;

    /// <summary>The transport used towards each shard ("tcp", "shared-memory").</summary>
    public IReadOnlyList<string> TransportToShards => [.. _servers.Select(s => s.Channel.Kind)];

    /// <summary>
    /// Connects rank <paramref name="self"/>.Rank of <paramref name="worldSize"/> to every shard;
    /// <paramref name="servers"/>[k] is shard k's endpoint (its Rank field = k). Every link presents
    /// <paramref name="dataLinkToken"/>, the job's token (see <see cref="DataLinkToken"/>).
    /// </summary>
    public static async Task<ParameterServerSync> CreateAsync(
        IReadOnlyList<PeerEndpoint> servers, PeerEndpoint self, int worldSize, byte[] dataLinkToken, GradientSyncOptions options,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        DataLinkToken.Validate(dataLinkToken, nameof(dataLinkToken));
        if (servers.Count == 0) throw new ArgumentException("the parameter-server strategy needs at least one shard endpoint", nameof(servers));
        if (self.Rank < 0 || self.Rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(self), $"rank {self.Rank} is outside the world of {worldSize} ranks");
        for (int k = 0; k < servers.Count; k++)
            if (servers[k].Rank != k)
                throw new ArgumentException($"parameter-server endpoints must be listed in shard order: entry {k} is shard {servers[k].Rank}", nameof(servers));

        var connects = servers.Select(server => LinkConnector.ConnectAsync(server, $"parameter-server shard {server.Rank} at {server.Address}", null,
            ParameterServerShard.Purpose, self.Rank, SyncTopology.ChannelFor(options.Transport, self, server), dataLinkToken, options,
            cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(connects).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var c in connects.Where(c => c.IsCompletedSuccessfully)) c.Result.Dispose();
            throw new CollectiveFailedException("connecting to the parameter servers", self.Rank, null, null, ex.Message, ex);
        }
        var latch = new FailureLatch(self.Rank, options);
        return new ParameterServerSync(self.Rank, worldSize, [.. connects.Select(c => c.Result)], options, latch);
    }

    /// <inheritdoc />
    public Task AllReduceAsync(Memory<float> bucket, ReduceOp op, CancellationToken cancellationToken = default)
    {
        var header = new CollectiveHeader(CollectiveOp.AllReduce, NextSequence(), bucket.Length, (long)op);
        return PushPullAsync(header, bucket, push: true, pull: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task BroadcastAsync(Memory<float> buffer, int root, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, WorldSize);
        var header = new CollectiveHeader(CollectiveOp.Broadcast, NextSequence(), buffer.Length, root);
        return PushPullAsync(header, buffer, push: Rank == root, pull: Rank != root, cancellationToken);
    }

    /// <summary>
    /// Optimizer mode, before the first step: the shards take their ranges of rank 0's <paramref name="parameters"/>
    /// and every other rank receives them (so this is also the initial broadcast).
    /// </summary>
    public Task InitializeParametersAsync(Memory<float> parameters, CancellationToken cancellationToken = default)
    {
        var header = new CollectiveHeader(CollectiveOp.InitializeParameters, NextSequence(), parameters.Length, 0);
        return PushPullAsync(header, parameters, push: Rank == 0, pull: Rank != 0, cancellationToken);
    }

    /// <summary>
    /// Optimizer mode, first half of a step: pushes this rank's flat <paramref name="gradients"/>; each shard sums its
    /// range over ranks (rank order) and keeps it. Returns Σg² of the summed gradient, added over the shards in shard
    /// order (the same bits on every rank): the global norm for clipping and the non-finite check.
    /// </summary>
    public async Task<double> PushGradientsAsync(ReadOnlyMemory<float> gradients, CancellationToken cancellationToken = default)
    {
        var header = new CollectiveHeader(CollectiveOp.OptimizerPush, NextSequence(), gradients.Length, (long)ReduceOp.Sum);
        var partials = new double[_servers.Length];
        var servers = _servers;

        void Push()
        {
            SendHeaderToAll(header);
            PushInterleaved(gradients.Span);
        }

        void Pull()
        {
            for (int k = 0; k < servers.Length; k++)
                servers[k].Receive(System.Runtime.InteropServices.MemoryMarshal.AsBytes(partials.AsSpan(k, 1)));
        }

        await _runner.RunAsync(header.Describe, Push, Pull, cancellationToken).ConfigureAwait(false);
        double squares = 0;
        foreach (var partial in partials) squares += partial;
        return squares;
    }

    /// <summary>
    /// Optimizer mode, second half of a step: every shard multiplies its summed gradient by <paramref name="scale"/>
    /// (averaging and clipping; every rank must send the same values), steps its optimizer with
    /// <paramref name="learningRate"/> and answers with its updated parameters, written into <paramref name="parameters"/>.
    /// </summary>
    public Task ApplyOptimizerAsync(double scale, double learningRate, Memory<float> parameters, CancellationToken cancellationToken = default)
    {
        var header = new CollectiveHeader(CollectiveOp.OptimizerApply, NextSequence(), parameters.Length, 0);
        var servers = _servers;
        double[] step = [scale, learningRate];

        void Push()
        {
            foreach (var server in servers)
            {
                server.SendHeader(header);
                server.Send(System.Runtime.InteropServices.MemoryMarshal.AsBytes(step.AsSpan()));
            }
        }

        return _runner.RunAsync(header.Describe, Push, () => PullInterleaved(parameters.Span), cancellationToken);
    }

    /// <summary>
    /// Optimizer mode, for checkpoints: every rank receives the shards' state buffers (one whole-length buffer per
    /// name, in the shard optimizer's name order) into <paramref name="buffers"/>.
    /// </summary>
    public Task ExportOptimizerStateAsync(IReadOnlyList<float[]> buffers, CancellationToken cancellationToken = default)
    {
        int length = buffers.Count > 0 ? buffers[0].Length : 0;
        var header = new CollectiveHeader(CollectiveOp.OptimizerExport, NextSequence(), length, buffers.Count);
        return _runner.RunAsync(header.Describe, () => SendHeaderToAll(header),
            () => { foreach (var buffer in buffers) PullInterleaved(buffer); }, cancellationToken);
    }

    /// <summary>
    /// Optimizer mode, on resume: the shards take rank 0's state <paramref name="buffers"/> (name order) as their state
    /// after <paramref name="stepCount"/> steps; other ranks' buffers are not read.
    /// </summary>
    public Task ImportOptimizerStateAsync(IReadOnlyList<float[]> buffers, long stepCount, int length, CancellationToken cancellationToken = default)
    {
        var header = new CollectiveHeader(CollectiveOp.OptimizerImport, NextSequence(), length, stepCount);
        bool push = Rank == 0;

        void Push()
        {
            SendHeaderToAll(header);
            if (!push) return;
            foreach (var buffer in buffers) PushInterleaved(buffer.AsSpan(0, length));
        }

        return _runner.RunAsync(header.Describe, Push, null, cancellationToken);
    }

    private void SendHeaderToAll(in CollectiveHeader header)
    {
        foreach (var server in _servers) server.SendHeader(header);
    }

    /// <summary>Sends each shard its range of <paramref name="source"/>, chunk by chunk, round-robin over the shards.</summary>
    private void PushInterleaved(ReadOnlySpan<float> source)
    {
        foreach (var (shard, offset, count) in ShardLayout.InterleavedChunks(source.Length, _servers.Length, _chunkFloats))
            _servers[shard].Send(source.Slice(offset, count));
    }

    /// <summary>Receives each shard's range into <paramref name="destination"/> in the order <see cref="PushInterleaved"/> sends.</summary>
    private void PullInterleaved(Span<float> destination)
    {
        foreach (var (shard, offset, count) in ShardLayout.InterleavedChunks(destination.Length, _servers.Length, _chunkFloats))
            _servers[shard].Receive(destination.Slice(offset, count));
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
    /// <remarks>A parameter-server client has links only to the shards; <paramref name="failedRank"/> is named as given.</remarks>
    public void Abort(string reason, int? failedRank = null) =>
        _latch.Abort(reason, failedRank, failedRank is int r ? $"rank {r}" : null);

    /// <summary>Whether the worker threads have ended (after disposal): nothing of this group waits on a peer any more.</summary>
    internal bool WorkersStopped => _runner.HasStopped;

    /// <summary>
    /// Says goodbye to the shards and closes the links. A collective still in flight is aborted first (it fails with
    /// <see cref="CollectiveFailedException"/>), so closing never waits on a shard.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _latch.BeginClose();
        if (_runner.IsBusy) Abort("the sync group was closed while this collective was running");
        else foreach (var server in _servers) server.SendGoodbye();
        if (_runner.Stop())
        {
            foreach (var server in _servers) server.Dispose();
            _latch.Dispose();
        }
        else
        {
            Abort("the sync group was closed"); // a worker still runs: leave its links (and mappings) to the process end
            _logger?.LogWarning("Sync rank {Rank}: a collective worker did not stop within {Bound} s of closing; its links are left to the process end",
                Rank, CollectiveRunner.JoinBound.TotalSeconds);
        }
        return ValueTask.CompletedTask;
    }

    private long NextSequence()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Interlocked.Increment(ref _sequence);
    }

    private Task PushPullAsync(CollectiveHeader header, Memory<float> buffer, bool push, bool pull, CancellationToken cancellationToken) =>
        PushPullAsync(header, push ? buffer : ReadOnlyMemory<float>.Empty, pull ? buffer : Memory<float>.Empty, cancellationToken, push, pull);

    private Task PushPullAsync(CollectiveHeader header, ReadOnlyMemory<float> source, Memory<float> destination, CancellationToken cancellationToken) =>
        PushPullAsync(header, source, destination, cancellationToken, push: true, pull: true);

    private Task PushPullAsync(CollectiveHeader header, ReadOnlyMemory<float> source, Memory<float> destination,
        CancellationToken cancellationToken, bool push, bool pull)
    {
        int length = checked((int)header.Count);

        void Push()
        {
            SendHeaderToAll(header);
            if (push) PushInterleaved(source.Span[..length]);
        }

        return _runner.RunAsync(header.Describe, Push, pull ? () => PullInterleaved(destination.Span[..length]) : null, cancellationToken);
    }

    private async Task<double[]> ScalarsAsync(CollectiveOp op, double[] values, CancellationToken cancellationToken)
    {
        var header = new CollectiveHeader(op, NextSequence(), values.Length, 0);
        var result = new double[values.Length];
        var server = _servers[0];

        void Run()
        {
            server.SendHeader(header);
            server.Send(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            server.Receive(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()));
        }

        await _runner.RunAsync(header.Describe, null, Run, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
