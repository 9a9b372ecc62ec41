using System.Diagnostics;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// A set of child processes that live and die together: output is streamed line by line to a callback, the first
/// child to fail stops the others, and disposing the group (normal end, error, Ctrl-C) kills every child that is
/// still running — no orphaned node processes, also when the parent is interrupted.
/// </summary>
public sealed class ChildProcessGroup : IDisposable
{
    private readonly List<(string Name, Process Process)> _children = new();
    private readonly HashSet<string> _killedByGroup = new(StringComparer.Ordinal);
    private readonly Action<string, string, bool> _onLine;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates an empty group; <paramref name="onLine"/> receives (child name, line, isStdErr).</summary>
    public ChildProcessGroup(Action<string, string, bool> onLine)
    {
        _onLine = onLine;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    /// <summary>Starts a child; its stdout and stderr lines go to the callback with <paramref name="name"/>.</summary>
    public Process Start(string name, string fileName, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) _onLine(name, e.Data, false); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) _onLine(name, e.Data, true); };
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!p.Start())
                throw new InvalidOperationException($"could not start {name}: {fileName}");
            _children.Add((name, p));
        }
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Starts <paramref name="name"/> again after it exited (a relaunched node): the exited process leaves the group.</summary>
    public Process Restart(string name, string fileName, IEnumerable<string> args)
    {
        lock (_gate)
        {
            int index = _children.FindIndex(c => c.Name == name);
            if (index >= 0)
            {
                if (!_children[index].Process.HasExited) throw new InvalidOperationException($"{name} is still running");
                _children[index].Process.Dispose();
                _children.RemoveAt(index);
            }
            _killedByGroup.Remove(name);
        }
        return Start(name, fileName, args);
    }

    /// <summary>The children now in the group, by name.</summary>
    public IReadOnlyList<(string Name, Process Process)> Children()
    {
        lock (_gate) return _children.ToList();
    }

    /// <summary>
    /// Waits until every child has exited with code 0, or until the first one fails (non-zero exit), in which case the
    /// others are given <paramref name="grace"/> to exit by themselves and then killed. The grace ends early once
    /// <paramref name="onlyHopelessLeft"/> (given the names of the children still running) says that none of them will
    /// exit by itself (e.g. the one left is frozen). Returns the failed child's name and exit code, or null when all succeeded.
    /// </summary>
    public async Task<(string Name, int ExitCode)?> WaitAllAsync(TimeSpan grace, CancellationToken ct,
        Func<IReadOnlyCollection<string>, bool>? onlyHopelessLeft = null)
    {
        List<(string Name, Process Process)> children;
        lock (_gate) children = _children.ToList();
        var pending = children.Select(c => (c.Name, c.Process, Task: c.Process.WaitForExitAsync(ct))).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Select(p => p.Task));
            await done; // propagates cancellation
            var finished = pending.First(p => p.Task == done);
            pending.Remove(finished);
            if (finished.Process.ExitCode != 0)
            {
                var deadline = DateTime.UtcNow + grace;
                while (DateTime.UtcNow < deadline)
                {
                    var running = pending.Where(p => !p.Process.HasExited).Select(p => p.Name).ToList();
                    if (running.Count == 0 || (onlyHopelessLeft?.Invoke(running) ?? false)) break;
                    await Task.Delay(100, CancellationToken.None);
                }
                KillAll();
                return (finished.Name, finished.Process.ExitCode);
            }
        }
        return null;
    }

    /// <summary>Sends <paramref name="signal"/> to every child still running (POSIX only; elsewhere it does nothing).</summary>
    public void Signal(System.Runtime.InteropServices.PosixSignal signal)
    {
        if (OperatingSystem.IsWindows()) return;
        int number = signal switch
        {
            System.Runtime.InteropServices.PosixSignal.SIGINT => 2,
            System.Runtime.InteropServices.PosixSignal.SIGTERM => 15,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "only SIGINT and SIGTERM are forwarded"),
        };
        List<(string Name, Process Process)> children;
        lock (_gate) children = _children.ToList();
        foreach (var (_, p) in children)
        {
            try { if (!p.HasExited) _ = Kill(p.Id, number); }
            catch (InvalidOperationException) { /* already exited */ }
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for every child to exit; true when they all did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        List<(string Name, Process Process)> children;
        lock (_gate) children = _children.ToList();
        try
        {
            await Task.WhenAll(children.Select(c => c.Process.WaitForExitAsync())).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    /// <summary>Each child's exit code, or null while it runs — or when this group killed it (it had not ended by itself).</summary>
    public IReadOnlyDictionary<string, int?> ExitCodes()
    {
        lock (_gate)
            return _children.ToDictionary(c => c.Name,
                c => c.Process.HasExited && !_killedByGroup.Contains(c.Name) ? c.Process.ExitCode : (int?)null);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Kills every child still running (with its process tree).</summary>
    public void KillAll()
    {
        List<(string Name, Process Process)> children;
        lock (_gate) children = _children.ToList();
        foreach (var (name, p) in children)
        {
            try
            {
                if (p.HasExited) continue;
                lock (_gate) _killedByGroup.Add(name);
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { /* already exited */ }
        }
        foreach (var (_, p) in children)
        {
            try { p.WaitForExit(5000); } catch (InvalidOperationException) { }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        KillAll();
        foreach (var (_, p) in _children) p.Dispose();
    }
}
