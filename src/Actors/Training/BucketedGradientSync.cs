using System.Threading.Channels;
using ActorTrain.Actors.Sync;
using ActorTrain.Model.Nn;
using TorchSharp.Modules;

namespace ActorTrain.Actors.Training;

/// <summary>
/// Sums the flat gradient over all ranks bucket by bucket (PyTorch DDP's reducer). With overlap, the gradient-ready signal
/// (<see cref="GradientReadySignal"/>, one tap per parameter) counts down each bucket during the last micro-batch's backward; a bucket whose parameters are all
/// ready is handed to a single dispatcher that starts its all-reduce while backward continues. Buckets always start in
/// index order (bucket i only after buckets 0..i-1), so every rank issues the same collectives in the same order,
/// whatever order autograd happens to finish parameters in. With <c>reduceScatter</c> (the sharded optimizer) each
/// bucket is reduce-scattered instead: a rank ends with the sum of its shard of every bucket only.
/// </summary>
internal sealed class BucketedGradientSync : IDisposable
{
    private readonly IGradientSync _sync;
    private readonly GradientBucketPlan _plan;
    private readonly Memory<float> _gradients;
    private readonly GradientReadySignal _signal;
    private readonly int[] _pending;
    private readonly bool _reduceScatter;
    private readonly object _gate = new();
    private Channel<int>? _ready;
    private Task<List<Task>>? _dispatcher;
    private int _nextBucket;

    public BucketedGradientSync(IGradientSync sync, GradientBucketPlan plan, Memory<float> gradients, GradientReadySignal signal, bool reduceScatter)
    {
        _reduceScatter = reduceScatter;
        _sync = sync;
        _plan = plan;
        _gradients = gradients;
        _signal = signal;
        _pending = new int[plan.Buckets.Count];
    }

    /// <summary>Arms the hooks for the coming backward pass: buckets start as soon as their gradients are complete.</summary>
    public void BeginOverlappedBackward()
    {
        for (var b = 0; b < _pending.Length; b++) _pending[b] = _plan.Buckets[b].ParameterCount;
        _nextBucket = 0;
        _ready = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var reader = _ready.Reader;
        _dispatcher = Task.Run(async () =>
        {
            var started = new List<Task>(_pending.Length);
            await foreach (var bucket in reader.ReadAllAsync().ConfigureAwait(false)) started.Add(Start(bucket));
            return started;
        });
        _signal.OnReady(OnGradientReady);
    }

    /// <summary>Starts the buckets backward did not signal (if any) and waits until every bucket is summed.</summary>
    public void CompleteOverlappedBackward()
    {
        _signal.OnReady(null);
        _signal.ThrowIfFailed();
        lock (_gate)
        {
            // Parameters without a gradient-ready signal (unused in this graph) still take part, in order.
            while (_nextBucket < _pending.Length) _ready!.Writer.TryWrite(_nextBucket++);
        }
        _ready!.Writer.Complete();
        var started = _dispatcher!.GetAwaiter().GetResult();
        Task.WhenAll(started).GetAwaiter().GetResult();
        _ready = null;
        _dispatcher = null;
    }

    /// <summary>Sums every bucket after backward, in order (no overlap).</summary>
    public void SyncAll() => ForEachBucket(Start);

    private Task Start(int bucket)
    {
        var range = _plan.Buckets[bucket];
        var slice = _gradients.Slice((int)range.Offset, (int)range.Length);
        return _reduceScatter ? _sync.ReduceScatterAsync(slice, ReduceOp.Sum) : _sync.AllReduceAsync(slice, ReduceOp.Sum);
    }

    // Runs on the backward thread: bookkeeping only, the collective starts on the dispatcher.
    private void OnGradientReady(int parameter)
    {
        if (_ready is null) return; // a backward pass that is not the step's last micro-batch
        lock (_gate)
        {
            var bucket = _plan.BucketOfParameter[parameter];
            _pending[bucket]--;
            while (_nextBucket < _pending.Length && _pending[_nextBucket] <= 0) _ready.Writer.TryWrite(_nextBucket++);
        }
    }

    /// <summary>All-gathers <paramref name="parameters"/> bucket by bucket: every rank's shards of the updated parameters reach every rank.</summary>
    public void GatherAll(Memory<float> parameters) =>
        ForEachBucket(b => _sync.AllGatherAsync(parameters.Slice((int)_plan.Buckets[b].Offset, (int)_plan.Buckets[b].Length)));

    /// <summary>Starts one collective per bucket, in bucket order (so every rank queues them alike), and waits for all.</summary>
    private void ForEachBucket(Func<int, Task> collective)
    {
        var started = new Task[_plan.Buckets.Count];
        for (var b = 0; b < started.Length; b++) started[b] = collective(b);
        Task.WhenAll(started).GetAwaiter().GetResult();
    }

    public void Dispose() => _signal.OnReady(null);
}
