using System.Diagnostics;
using ActorTrain.Cli.Simulation;
using ActorTrain.Cli.Tests.MultiProcess;

namespace ActorTrain.Cli.Tests.Partitions;

/// <summary>
/// <c>actortrain node</c> processes, one per lab host, each started inside its host's namespace with
/// <c>ip netns exec</c> (which execs, so the process is the node itself). Every output line is kept with the time it
/// arrived; waits poll those lines until a deadline; dispose kills every node still running — also when a test fails.
/// </summary>
internal sealed class LabNodes : IDisposable
{
    private readonly NetworkNamespaceLab _lab;
    private readonly ChildProcessGroup _group;
    private readonly Dictionary<int, List<(DateTime At, string Line)>> _lines = new();
    private readonly Dictionary<int, Process> _processes = new();
    private readonly Lock _gate = new();

    public LabNodes(NetworkNamespaceLab lab)
    {
        _lab = lab;
        _group = new ChildProcessGroup((name, line, _) =>
        {
            int host = int.Parse(name["host-".Length..]);
            lock (_gate)
            {
                if (!_lines.TryGetValue(host, out var list)) _lines[host] = list = new();
                list.Add((DateTime.UtcNow, line));
            }
        });
    }

    /// <summary>Host i's cluster address (port 2552: each namespace has its own ports).</summary>
    public static string AkkaAddress(int host) => $"akka.tcp://actortrain@{NetworkNamespaceLab.Address(host)}:2552";

    /// <summary>Starts a node in host i's namespace, bound to the host's lab address, seeded by host 0.</summary>
    public Process Start(int host, IEnumerable<string> sets)
    {
        string[] placement =
        [
            $"actortrain.cluster.hostname={NetworkNamespaceLab.Address(host)}",
            "actortrain.cluster.port=2552",
            $"actortrain.cluster.seed-nodes={AkkaAddress(0)}",
        ];
        return StartWith(host, ["node", "--verbose", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments([.. placement, .. sets])]);
    }

    /// <summary>Starts <c>actortrain</c> with exactly <paramref name="args"/> (placement is the caller's) in host i's
    /// namespace, with <paramref name="env"/> added to its environment, optionally with its own /dev/shm.</summary>
    public Process StartWith(int host, IEnumerable<string> args, IDictionary<string, string>? env = null, bool ownSharedMemory = false)
    {
        var (file, wrapped) = _lab.InHost(host, ActortrainProcesses.Executable, args, ownSharedMemory);
        var process = _group.Start($"host-{host}", file, wrapped, env);
        lock (_gate) _processes[host] = process;
        return process;
    }

    public IReadOnlyList<(DateTime At, string Line)> Lines(int host)
    {
        lock (_gate) return _lines.TryGetValue(host, out var list) ? list.ToList() : [];
    }

    public string Output(int host) => $"--- host {host} ({NetworkNamespaceLab.Address(host)}) ---\n" + string.Join('\n', Lines(host).Select(l => l.Line));

    public string AllOutput() => string.Join('\n', _processes.Keys.Order().Select(Output));

    /// <summary>The first line of host i that matches, with its arrival time; fails with every node's output when none does
    /// in time or the node exits without one.</summary>
    public (DateTime At, string Line) WaitForLine(int host, Func<string, bool> match, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            bool exited;
            lock (_gate) exited = _processes[host].HasExited;
            if (exited) _processes[host].WaitForExit(); // drains the output readers before the last look
            foreach (var line in Lines(host))
                if (match(line.Line)) return line;
            if (exited)
                throw new InvalidOperationException($"host {host}'s node exited ({_processes[host].ExitCode}) without logging {what}.\n{AllOutput()}");
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"host {host} did not log {what} within {timeout.TotalSeconds:0}s.\n{AllOutput()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Waits for host i's node to exit and returns its exit code; fails with every node's output when it does not in time.</summary>
    public int WaitForExit(int host, TimeSpan timeout)
    {
        Process process;
        lock (_gate) process = _processes[host];
        if (!process.WaitForExit(timeout))
            throw new TimeoutException($"host {host}'s node did not exit within {timeout.TotalSeconds:0}s.\n{AllOutput()}");
        process.WaitForExit(); // drains the output readers
        return process.ExitCode;
    }

    /// <summary>The time host i's node exited (null while it runs).</summary>
    public DateTime? ExitTime(int host)
    {
        lock (_gate) return _processes[host].HasExited ? _processes[host].ExitTime.ToUniversalTime() : null;
    }

    public bool Running(int host)
    {
        lock (_gate) return !_processes[host].HasExited;
    }

    public void Dispose() => _group.Dispose();
}
