using System.Collections.Concurrent;
using System.Diagnostics;
using ActorTrain.Actors.Job;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// What <c>simulate</c> does for an elastic job (actortrain.job.max-restarts &gt; 0), like a scheduler that brings a
/// failed machine back: a node process that dies (killed, or exits with an error) is started again, at most
/// max-restarts times in all, as soon as every surviving node announced that it stopped its old actor system
/// (<see cref="RestartAnnouncement"/>, fed through <see cref="Observe"/>), so the relaunched node's first join reaches
/// the cluster the survivors re-form, not the dissolving old one; at the latest after <c>maxDelay</c>. The job's own restart logic (in every
/// node) does the rest; simulate only replaces the process.
/// </summary>
public sealed class NodeRelauncher(ChildProcessGroup group, int maxRelaunches, TimeSpan maxDelay, Func<string, Process> relaunch, Action<string> report)
{
    private readonly ConcurrentDictionary<string, DateTime> _announced = new();

    /// <summary>The latest a node is relaunched after it died, should a survivor never announce its restart (it is stuck,
    /// or its own restart failed): the survivors' wait for the failure detector (at most 2 × (heartbeat-interval +
    /// acceptable-heartbeat-pause) + 2 s), the stop of their old actor systems and the pause before they rejoin
    /// (1–2 heartbeat-intervals).</summary>
    public static TimeSpan DelayFor(ActorTrain.Cluster.Settings.FailureDetectorSettings detector) =>
        2 * (detector.HeartbeatInterval + detector.AcceptableHeartbeatPause) + detector.HeartbeatInterval + TimeSpan.FromSeconds(2);

    /// <summary>Takes one line of a node's output; a restart announcement marks that node as ready for the relaunch.</summary>
    public void Observe(string name, string line)
    {
        if (RestartAnnouncement.IsAnnouncement(line)) _announced[name] = DateTime.UtcNow;
    }

    /// <summary>Relaunches so far.</summary>
    public int Relaunches { get; private set; }

    /// <summary>
    /// Waits until every node exited with code 0 (null), or one failed beyond the relaunch budget: then the others get
    /// <paramref name="grace"/> to exit by themselves before they are killed, and the failed node's name and exit code return.
    /// </summary>
    public async Task<(string Name, int ExitCode)?> WaitAllAsync(TimeSpan grace, CancellationToken ct)
    {
        var handled = new HashSet<Process>();
        while (true)
        {
            var children = group.Children();
            var running = children.Where(c => !c.Process.HasExited).ToList();
            var failed = children.Where(c => c.Process.HasExited && c.Process.ExitCode != 0 && !handled.Contains(c.Process)).ToList();
            foreach (var (name, process) in failed)
            {
                handled.Add(process);
                if (Relaunches >= maxRelaunches) return await GiveUpAsync(name, process.ExitCode, grace).ConfigureAwait(false);
                Relaunches++;
                report($"{name} {DescribeExit(process.ExitCode)}; relaunching it once the other nodes restarted, at most {maxDelay.TotalSeconds:0.#}s from now (relaunch {Relaunches} of at most {maxRelaunches}, actortrain.job.max-restarts)");
                var waited = await WaitForSurvivorsAsync(name, ct).ConfigureAwait(false);
                var fresh = relaunch(name);
                report($"{name}: relaunched after {waited.TotalSeconds:0.0}s, pid {fresh.Id}");
            }
            if (failed.Count > 0) continue;
            if (running.Count == 0) return null;
            await Task.WhenAny(running.Select(c => c.Process.WaitForExitAsync(ct))).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Waits until every other running node announced its restart after now (or exited), at most maxDelay.</summary>
    private async Task<TimeSpan> WaitForSurvivorsAsync(string dead, CancellationToken ct)
    {
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < maxDelay)
        {
            bool allRestarted = group.Children().Where(c => c.Name != dead && !c.Process.HasExited)
                .All(c => _announced.TryGetValue(c.Name, out var at) && at >= since);
            if (allRestarted) break;
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        return DateTime.UtcNow - since;
    }

    private async Task<(string, int)> GiveUpAsync(string name, int exitCode, TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && group.Children().Any(c => !c.Process.HasExited))
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        group.KillAll();
        return (name, exitCode);
    }

    private static string DescribeExit(int exitCode) =>
        exitCode > 128 ? $"was killed by signal {exitCode - 128}" : $"exited with code {exitCode}";
}
