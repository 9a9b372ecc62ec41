using System.Diagnostics;

namespace ActorTrain.Actors.Training;

/// <summary>
/// What the steps since the last step event added up to: tokens (for tokens/s over wall time) and rank 0's
/// per-phase Stopwatch ticks (for the mean compute / sync-wait / optimizer seconds per step).
/// </summary>
internal sealed class LogWindow(Stopwatch clock)
{
    private double _start = clock.Elapsed.TotalSeconds;
    private long _tokens;
    private int _steps;
    private long _compute, _syncWait, _optimizer;

    /// <summary>Adds one step's global tokens and this rank's phase ticks.</summary>
    public void Add(long tokens, (long Compute, long SyncWait, long Optimizer) phaseTicks)
    {
        _tokens += tokens;
        _steps++;
        _compute += phaseTicks.Compute;
        _syncWait += phaseTicks.SyncWait;
        _optimizer += phaseTicks.Optimizer;
    }

    /// <summary>Tokens per second and mean seconds per step of each phase since the last call; starts a new window.</summary>
    public (double TokensPerSecond, double Compute, double SyncWait, double Optimizer) Take()
    {
        var now = clock.Elapsed.TotalSeconds;
        var rate = now > _start ? _tokens / (now - _start) : 0;
        double PerStep(long ticks) => _steps > 0 ? (double)ticks / Stopwatch.Frequency / _steps : 0;
        var result = (rate, PerStep(_compute), PerStep(_syncWait), PerStep(_optimizer));
        _start = now;
        _tokens = 0;
        _steps = 0;
        _compute = _syncWait = _optimizer = 0;
        return result;
    }
}
