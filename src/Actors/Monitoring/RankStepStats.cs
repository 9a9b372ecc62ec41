using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorTrain.Actors.Monitoring;

/// <summary>
/// What the ranks of one node did so far, step by step: written by each rank's training thread after every optimizer
/// step (a few field writes under a per-rank lock), read by the node's Prometheus metrics and dashboard reporter.
/// </summary>
public sealed class RankStepStats
{
    private readonly ConcurrentDictionary<int, Counters> _ranks = new();

    /// <summary>One rank's totals at one moment.</summary>
    /// <param name="Rank">Global rank.</param>
    /// <param name="Steps">Optimizer steps completed by this process (the step number after resuming may be higher).</param>
    /// <param name="LastStep">The rank's step number after its last step (resumed runs count on from the checkpoint).</param>
    /// <param name="Tokens">Input tokens this rank processed.</param>
    /// <param name="ComputeSeconds">Forward + backward.</param>
    /// <param name="SyncWaitSeconds">Waiting for the gradient sync (buckets and the scalar all-reduce).</param>
    /// <param name="OptimizerSeconds">Averaging, clipping, optimizer step.</param>
    /// <param name="LastStepSeconds">The whole last step.</param>
    /// <param name="LastTokensPerSecond">This rank's input tokens per second over its last step.</param>
    public sealed record Snapshot(int Rank, long Steps, long LastStep, long Tokens, double ComputeSeconds, double SyncWaitSeconds,
        double OptimizerSeconds, double LastStepSeconds, double LastTokensPerSecond)
    {
        /// <summary>Total seconds in steps.</summary>
        public double StepSeconds => ComputeSeconds + SyncWaitSeconds + OptimizerSeconds;
    }

    /// <summary>Records one finished step of <paramref name="rank"/>: its number, input tokens and phase times (Stopwatch ticks).</summary>
    public void Record(int rank, long step, long tokens, long computeTicks, long syncWaitTicks, long optimizerTicks)
    {
        var counters = _ranks.GetOrAdd(rank, static _ => new Counters());
        lock (counters)
        {
            counters.Steps++;
            counters.LastStep = step;
            counters.Tokens += tokens;
            counters.ComputeTicks += computeTicks;
            counters.SyncWaitTicks += syncWaitTicks;
            counters.OptimizerTicks += optimizerTicks;
            counters.LastStepTicks = computeTicks + syncWaitTicks + optimizerTicks;
            counters.LastTokens = tokens;
        }
    }

    /// <summary>Every rank seen so far, by rank.</summary>
    public IReadOnlyList<Snapshot> Read()
    {
        var list = new List<Snapshot>(_ranks.Count);
        foreach (var (rank, c) in _ranks)
        {
            lock (c)
            {
                double last = Seconds(c.LastStepTicks);
                list.Add(new Snapshot(rank, c.Steps, c.LastStep, c.Tokens, Seconds(c.ComputeTicks), Seconds(c.SyncWaitTicks), Seconds(c.OptimizerTicks),
                    last, last > 0 ? c.LastTokens / last : 0));
            }
        }
        list.Sort((a, b) => a.Rank.CompareTo(b.Rank));
        return list;
    }

    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    private sealed class Counters
    {
        public long Steps, LastStep, Tokens, ComputeTicks, SyncWaitTicks, OptimizerTicks, LastStepTicks, LastTokens;
    }
}
