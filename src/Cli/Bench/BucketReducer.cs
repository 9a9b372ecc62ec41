using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Training;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// DDP's reducer for the benchmark ranks: counts gradient-ready signals per bucket and starts a bucket's sum
/// all-reduce once all of its parameters are ready, strictly in bucket order (every rank must issue collectives in
/// the same order), so communication overlaps the rest of backward.
/// </summary>
internal sealed class BucketReducer(IGradientSync sync, GradientBucketPlan plan, Memory<float> gradients)
{
    private readonly int[] _pending = new int[plan.Buckets.Count];
    private readonly List<Task> _inFlight = new(plan.Buckets.Count);
    private readonly object _gate = new();
    private int _nextToLaunch;

    /// <summary>Resets the counters before backward.</summary>
    public void BeginStep()
    {
        lock (_gate)
        {
            for (int b = 0; b < _pending.Length; b++) _pending[b] = plan.Buckets[b].ParameterCount;
            _inFlight.Clear();
            _nextToLaunch = 0;
        }
    }

    /// <summary>Gradient-ready hook: parameter <paramref name="index"/> (flat order) has its gradient.</summary>
    public void OnGradientReady(int index)
    {
        lock (_gate)
        {
            _pending[plan.BucketOfParameter[index]]--;
            while (_nextToLaunch < _pending.Length && _pending[_nextToLaunch] <= 0) Launch(_nextToLaunch++);
        }
    }

    /// <summary>Starts whatever backward did not signal (e.g. unused parameters) and waits for every bucket.</summary>
    public Task FinishStepAsync()
    {
        lock (_gate)
        {
            while (_nextToLaunch < _pending.Length) Launch(_nextToLaunch++);
            return Task.WhenAll(_inFlight);
        }
    }

    private void Launch(int bucket)
    {
        var b = plan.Buckets[bucket];
        _inFlight.Add(sync.AllReduceAsync(gradients.Slice(checked((int)b.Offset), checked((int)b.Length)), ReduceOp.Sum));
    }
}
