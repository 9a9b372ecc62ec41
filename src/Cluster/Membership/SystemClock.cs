using System.Diagnostics;

namespace ActorTrain.Cluster.Membership;

/// <summary>The process's monotonic clock (<see cref="Stopwatch"/>), in milliseconds.</summary>
public sealed class SystemClock : IClock
{
    /// <summary>The shared instance.</summary>
    public static SystemClock Instance { get; } = new();

    private SystemClock() { }

    /// <inheritdoc />
    public long NowMilliseconds => (long)Stopwatch.GetElapsedTime(0).TotalMilliseconds;
}
