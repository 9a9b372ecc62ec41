using System.Diagnostics;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// What <c>simulate</c> does for an elastic job (actortrain.job.max-restarts &gt; 0), like a scheduler that brings a
/// failed machine back: a node process that dies (killed, or exits with an error) is started again, at most
/// max-restarts times in all, after <c>delay</c> — long enough for the survivors to notice the loss and stop their old
/// actor systems, so the relaunched node joins the cluster they re-form, not the downed one. The job's own restart
/// logic (in every node) does the rest; simulate only replaces the process.
/// </summary>
public sealed class NodeRelauncher(ChildProcessGroup group, int maxRelaunches, TimeSpan delay, Func<string, Process> relaunch, Action<string> report)
{
    /// <summary>How long after a node died it is relaunched: the survivors' wait for the failure detector (at most
    /// 2 × (heartbeat-interval + acceptable-heartbeat-pause) + 2 s), the stop of their old actor systems and the pause
    /// before they rejoin (1–2 heartbeat-intervals). Sooner, it could join the old cluster just before it is downed.</summary>
    public static TimeSpan DelayFor(ActorTrain.Cluster.Settings.FailureDetectorSettings detector) =>
        2 * (detector.HeartbeatInterval + detector.AcceptableHeartbeatPause) + detector.HeartbeatInterval + TimeSpan.FromSeconds(2);

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
                report($"{name} {DescribeExit(process.ExitCode)}; relaunching it in {delay.TotalSeconds:0.#}s (relaunch {Relaunches} of at most {maxRelaunches}, actortrain.job.max-restarts)");
                await Task.Delay(delay, ct).ConfigureAwait(false);
                var fresh = relaunch(name);
                report($"{name}: relaunched, pid {fresh.Id}");
            }
            if (failed.Count > 0) continue;
            if (running.Count == 0) return null;
            await Task.WhenAny(running.Select(c => c.Process.WaitForExitAsync(ct))).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
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
