using System.Net;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Sync.Transport;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync.ParameterServer;

/// <summary>
/// One parameter-server shard, hostable in any node process (the lead wraps it in the actor /user/ps-&lt;shard&gt;).
/// It owns range k of every collective's buffer (see <see cref="ShardLayout"/>), serves the world's ranks over its
/// own listener and, per collective, takes every rank's push, sums in fixed rank order 0..W−1 with float32
/// accumulation (so the result does not depend on arrival order), optionally averages, and answers every rank with
/// the same bytes. With a shard optimizer (<c>apply-optimizer</c>) it also keeps the parameters of its range: ranks
/// push gradients (the shard sums them and answers its Σg²), then send the step's scale and learning rate (the shard
/// steps its <see cref="IShardOptimizer"/> and answers with its parameters). Synchronous mode only (no bounded staleness).
/// </summary>
public sealed class ParameterServerShard : IAsyncDisposable
{
    internal const string Purpose = "ps";

    private readonly SyncListener _listener;
    private readonly GradientSyncOptions _options;
    private readonly Func<int, int, IShardOptimizer>? _optimizerFactory;
    private IShardOptimizer? _optimizer;
    private float[]? _gradients;
    private readonly FailureLatch _latch;
    private readonly int _chunkFloats;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly float[] _scratch;
    private PeerLink[] _links = [];
    private float[]? _parameters;
    private int _parameterCount = -1;
    private Thread? _thread;
    private int _disposed;

    private ParameterServerShard(SyncListener listener, int shardIndex, int shardCount, int worldSize, GradientSyncOptions options,
        Func<int, int, IShardOptimizer>? optimizerFactory)
    {
        _listener = listener;
        ShardIndex = shardIndex;
        ShardCount = shardCount;
        WorldSize = worldSize;
        _options = options;
        _optimizerFactory = optimizerFactory;
        _chunkFloats = options.ChunkBytes / sizeof(float);
        _scratch = GC.AllocateUninitializedArray<float>(_chunkFloats, pinned: true);
        _latch = new FailureLatch(-1, options, OnDeparture);
    }

    /// <summary>This shard's index k, 0 ≤ k &lt; <see cref="ShardCount"/>.</summary>
    public int ShardIndex { get; }

    /// <summary>Number of shards the buffers are cut into.</summary>
    public int ShardCount { get; }

    /// <summary>Number of ranks served.</summary>
    public int WorldSize { get; }

    /// <summary>Where ranks connect (publish it as the shard's endpoint).</summary>
    public IPEndPoint LocalEndpoint => _listener.LocalEndpoint;

    /// <summary>
    /// Sets the job's data-link token that every rank's connection must present, when the listener was bound before
    /// the rendezvous delivered it (see <see cref="SyncListener.SetDataLinkToken"/>).
    /// </summary>
    public void SetDataLinkToken(byte[] dataLinkToken) => _listener.SetDataLinkToken(dataLinkToken);

    /// <summary>Completes when every rank has left in order; faults with <see cref="CollectiveFailedException"/> when the group failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Starts serving on <paramref name="listener"/> (owned by the shard from now on): waits in the background for all
    /// <paramref name="worldSize"/> ranks to connect, then serves collectives on a dedicated thread.
    /// <paramref name="optimizerFactory"/>, when given, builds the shard's optimizer for its range (start, length) of
    /// the flat parameters once they are initialised.
    /// </summary>
    public static ParameterServerShard Start(
        SyncListener listener, int shardIndex, int shardCount, int worldSize, GradientSyncOptions options,
        Func<int, int, IShardOptimizer>? optimizerFactory = null)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        if (shardIndex < 0 || shardIndex >= shardCount)
            throw new ArgumentOutOfRangeException(nameof(shardIndex), $"shard {shardIndex} is outside 0..{shardCount - 1}");
        var shard = new ParameterServerShard(listener, shardIndex, shardCount, worldSize, options, optimizerFactory);
        _ = shard.ConnectAndServeAsync();
        return shard;
    }

    /// <summary>Stops serving and closes every link and the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _latch.BeginClose();
        foreach (var link in _links) link.Abort();
        bool stopped = _thread is null || _thread == Thread.CurrentThread || _thread.Join(CollectiveRunner.JoinBound);
        if (stopped) foreach (var link in _links) link.Dispose();
        else _options.Logger?.LogWarning("{Shard}: the serving thread did not stop within {Bound} s of closing; its links are left to the process end",
            Name, CollectiveRunner.JoinBound.TotalSeconds);
        await _listener.DisposeAsync().ConfigureAwait(false);
        _completion.TrySetResult();
        if (stopped) _latch.Dispose();
    }

    private string Name => $"parameter-server shard {ShardIndex} at {LocalEndpoint}";

    private async Task ConnectAndServeAsync()
    {
        try
        {
            var accepts = Enumerable.Range(0, WorldSize)
                .Select(rank => _listener.AcceptAsync(Purpose, rank, null, CancellationToken.None)).ToArray();
            try
            {
                await Task.WhenAll(accepts).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var accept in accepts.Where(a => a.IsCompletedSuccessfully)) accept.Result.Dispose();
                int[] missing = [.. Enumerable.Range(0, WorldSize).Where(r => !accepts[r].IsCompletedSuccessfully)];
                throw new CollectiveFailedException($"{Name} waiting for ranks", -1, missing.FirstOrDefault(), null,
                    $"ranks {string.Join(", ", missing)} did not connect ({ex.Message})", ex);
            }
            _links = [.. accepts.Select(a => a.Result)];
            foreach (var link in _links) _latch.Watch(link);
            _thread = new Thread(Serve) { IsBackground = true, Name = Name };
            _thread.Start();
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    private void OnDeparture(PeerLink link)
    {
        // Wakes the serving thread if it is waiting for this rank's next header; a collective that is still
        // answering other ranks is not affected (only this rank's link is aborted).
        link.Abort();
    }

    private void Serve()
    {
        string operation = $"{Name} idle";
        try
        {
            while (true)
            {
                CollectiveHeader header;
                try
                {
                    header = _links[0].ReceiveAnyHeader();
                }
                catch (PeerLinkBrokenException) when (LeftInOrder())
                {
                    _completion.TrySetResult();
                    return;
                }
                operation = $"{Name} serving {header.Describe()}";
                for (int rank = 1; rank < WorldSize; rank++)
                    _links[rank].ReceiveHeader(header, "rank 0");
                Execute(header);
            }
        }
        catch (Exception ex)
        {
            if (Volatile.Read(ref _disposed) != 0) { _completion.TrySetResult(); return; }
            _latch.OnWorkerError(ex, operation);
            _completion.TrySetException(_latch.Failure ?? new CollectiveFailedException(operation, -1, null, null, ex.Message, ex));
        }
    }

    /// <summary>Rank 0 said goodbye (waits briefly for its side message, which may trail the data connection's end).</summary>
    private bool LeftInOrder()
    {
        var deadline = DateTime.UtcNow + _options.FailureAttributionGrace;
        while (_latch.Departure is null && _latch.Failure is null && DateTime.UtcNow < deadline) Thread.Sleep(5);
        if (_latch.Failure is not null || _latch.Departure is null) return false;
        // Rank 0 leaves only after the job's last collective: closing every link ends the group for ranks still
        // connected, without abort notices that would make their orderly shutdown look like a failure.
        _latch.Fail(_latch.Departure, notifyPeers: false, orderlyEnd: true);
        return true;
    }

    private void Execute(in CollectiveHeader header)
    {
        switch (header.Op)
        {
            case CollectiveOp.AllReduce: ReduceAndAnswer(header, null); break;
            case CollectiveOp.Broadcast: Relay(header); break;
            case CollectiveOp.Scalars or CollectiveOp.Barrier: SumScalars(header); break;
            case CollectiveOp.InitializeParameters: InitializeParameters(header); break;
            case CollectiveOp.OptimizerPush: OptimizerPush(header); break;
            case CollectiveOp.OptimizerApply: OptimizerApply(header); break;
            case CollectiveOp.OptimizerExport: OptimizerExport(header); break;
            case CollectiveOp.OptimizerImport: OptimizerImport(header); break;
            default: throw new InvalidDataException($"unknown collective {(int)header.Op}");
        }
    }

    private void ReduceAndAnswer(in CollectiveHeader header, float[]? gradientShard)
    {
        var (_, length) = ShardLayout.Range(checked((int)header.Count), ShardCount, ShardIndex);
        for (int offset = 0; offset < length; offset += _chunkFloats)
        {
            int n = Math.Min(_chunkFloats, length - offset);
            var sum = gradientShard is null ? _scratch.AsSpan(0, n) : gradientShard.AsSpan(offset, n);
            _links[0].Receive(sum);
            for (int rank = 1; rank < WorldSize; rank++) _links[rank].ReceiveAdd(sum); // fixed rank order
            if ((ReduceOp)header.Argument == ReduceOp.Average) TensorPrimitives.Divide(sum, WorldSize, sum);
            if (gradientShard is null)
                for (int rank = 0; rank < WorldSize; rank++) _links[rank].Send(sum);
        }
    }

    private void Relay(in CollectiveHeader header)
    {
        int root = checked((int)header.Argument);
        if (root < 0 || root >= WorldSize) throw new InvalidDataException($"broadcast root {root} is outside the world of {WorldSize}");
        var (_, length) = ShardLayout.Range(checked((int)header.Count), ShardCount, ShardIndex);
        for (int offset = 0; offset < length; offset += _chunkFloats)
        {
            var piece = _scratch.AsSpan(0, Math.Min(_chunkFloats, length - offset));
            _links[root].Receive(piece);
            for (int rank = 0; rank < WorldSize; rank++)
                if (rank != root) _links[rank].Send(piece);
        }
    }

    private void SumScalars(in CollectiveHeader header)
    {
        int count = checked((int)header.Count);
        var total = new double[count];
        var incoming = new double[count];
        _links[0].Receive(MemoryMarshal.AsBytes(total.AsSpan()));
        for (int rank = 1; rank < WorldSize; rank++)
        {
            _links[rank].Receive(MemoryMarshal.AsBytes(incoming.AsSpan()));
            for (int i = 0; i < count; i++) total[i] += incoming[i]; // ((v0 + v1) + v2) + …
        }
        for (int rank = 0; rank < WorldSize; rank++) _links[rank].Send(MemoryMarshal.AsBytes(total.AsSpan()));
    }

    private void InitializeParameters(in CollectiveHeader header)
    {
        int total = checked((int)header.Count);
        var (_, length) = ShardLayout.Range(total, ShardCount, ShardIndex);
        var parameters = GC.AllocateUninitializedArray<float>(length, pinned: true);
        for (int offset = 0; offset < length; offset += _chunkFloats)
        {
            var piece = parameters.AsSpan(offset, Math.Min(_chunkFloats, length - offset));
            _links[0].Receive(piece);
            for (int rank = 1; rank < WorldSize; rank++) _links[rank].Send(piece);
        }
        _parameters = parameters;
        _parameterCount = total;
        if (_optimizerFactory is not null && (_optimizer is null || _gradients!.Length != length))
        {
            var (start, _) = ShardLayout.Range(total, ShardCount, ShardIndex);
            _optimizer = _optimizerFactory(start, length);
            _gradients = GC.AllocateUninitializedArray<float>(length, pinned: true);
        }
    }

    /// <summary>The shard optimizer, after checking that <paramref name="header"/> covers the initialised parameters.</summary>
    private IShardOptimizer RequireOptimizer(in CollectiveHeader header)
    {
        if (_optimizerFactory is null)
            throw new InvalidDataException($"{Name} has no shard optimizer (actortrain.job.sync.ps.apply-optimizer is off where it runs); " +
                                           "every node of the job must use the same setting");
        if (_parameters is null || _optimizer is null || _parameterCount != header.Count)
            throw new InvalidDataException(_parameters is null
                ? $"{Name} has no parameters yet; call InitializeParametersAsync before the first optimizer step"
                : $"{Name} holds {_parameterCount} parameters, the collective covers {header.Count}");
        return _optimizer;
    }

    /// <summary>Sums the ranks' gradients of this range (rank order) and answers every rank with their Σg² (float64).</summary>
    private void OptimizerPush(in CollectiveHeader header)
    {
        RequireOptimizer(header);
        ReduceAndAnswer(header, _gradients);
        Span<double> answer = [Model.Optim.GradientClipper.SumOfSquares(_gradients)];
        for (int rank = 0; rank < WorldSize; rank++) _links[rank].Send(MemoryMarshal.AsBytes(answer));
    }

    /// <summary>Takes [scale, learning rate] from every rank (all equal), steps the optimizer, answers with the parameters.</summary>
    private void OptimizerApply(in CollectiveHeader header)
    {
        var optimizer = RequireOptimizer(header);
        Span<double> step = stackalloc double[2], other = stackalloc double[2];
        _links[0].Receive(MemoryMarshal.AsBytes(step));
        for (int rank = 1; rank < WorldSize; rank++)
        {
            _links[rank].Receive(MemoryMarshal.AsBytes(other));
            if (!other.SequenceEqual(step))
                throw new InvalidDataException($"rank {rank} sent scale {other[0]:R} and learning rate {other[1]:R}, rank 0 sent {step[0]:R} and {step[1]:R}: the replicas diverged");
        }
        var gradients = _gradients.AsSpan();
        TensorPrimitives.Multiply(gradients, (float)step[0], gradients);
        optimizer.Step(_parameters, gradients, step[1]);
        SendToAll(_parameters!);
    }

    /// <summary>Sends each state buffer of this range (name order) to every rank.</summary>
    private void OptimizerExport(in CollectiveHeader header)
    {
        var optimizer = RequireOptimizer(header);
        if (header.Argument != optimizer.StateBufferNames.Count)
            throw new InvalidDataException($"{Name}'s optimizer has {optimizer.StateBufferNames.Count} state buffers, rank 0 asked for {header.Argument}");
        foreach (var buffer in optimizer.ExportState()) SendToAll(buffer);
    }

    /// <summary>Takes rank 0's state buffers of this range (name order) after <c>Argument</c> steps.</summary>
    private void OptimizerImport(in CollectiveHeader header)
    {
        var optimizer = RequireOptimizer(header);
        var buffers = new float[optimizer.StateBufferNames.Count][];
        for (int b = 0; b < buffers.Length; b++)
        {
            buffers[b] = new float[_gradients!.Length];
            for (int offset = 0; offset < buffers[b].Length; offset += _chunkFloats)
                _links[0].Receive(buffers[b].AsSpan(offset, Math.Min(_chunkFloats, buffers[b].Length - offset)));
        }
        optimizer.ImportState(buffers, header.Argument);
    }

    private void SendToAll(float[] range)
    {
        for (int offset = 0; offset < range.Length; offset += _chunkFloats)
        {
            var piece = range.AsSpan(offset, Math.Min(_chunkFloats, range.Length - offset));
            for (int rank = 0; rank < WorldSize; rank++) _links[rank].Send(piece);
        }
    }
}
