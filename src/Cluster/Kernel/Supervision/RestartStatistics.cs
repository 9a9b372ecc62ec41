using System.Diagnostics;

namespace ActorTrain.Cluster.Kernel;

/// <summary>Per-child restart count and window, owned by the parent's cell (single-threaded).</summary>
internal sealed class RestartStatistics
{
    private int _count;
    private long _windowStart = -1;

    /// <summary>Counts one restart; false when the budget of <paramref name="strategy"/> is exhausted (→ Stop).</summary>
    public bool RequestRestartPermission(SupervisorStrategy strategy)
    {
        int max = strategy.MaxNrOfRetries;
        TimeSpan? window = strategy.WithinTimeRange;
        if (window is null)
            return max < 0 || ++_count <= max;
        if (max < 0) return true;
        long now = Stopwatch.GetTimestamp();
        if (_windowStart < 0) _windowStart = now;
        _count++;
        if (Stopwatch.GetElapsedTime(_windowStart, now) <= window.Value)
            return _count <= max;
        _count = 1;
        _windowStart = now;
        return true;
    }
}
