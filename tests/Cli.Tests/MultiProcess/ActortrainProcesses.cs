using System.Diagnostics;
using ActorTrain.Cli.Simulation;

namespace ActorTrain.Cli.Tests.MultiProcess;

/// <summary>
/// `actortrain` processes started by a test: the built executable next to the test assembly, every output line
/// collected per process, waits with deadlines, and every process (with its children) killed on dispose — also when
/// the test fails.
/// </summary>
internal sealed class ActortrainProcesses : IDisposable
{
    private readonly ChildProcessGroup _group;
    private readonly Dictionary<string, List<string>> _lines = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ActortrainProcesses()
    {
        _group = new ChildProcessGroup((name, line, _) =>
        {
            lock (_gate)
            {
                if (!_lines.TryGetValue(name, out var list)) _lines[name] = list = new List<string>();
                list.Add(line);
            }
        });
    }

    /// <summary>The apphost built next to this test assembly (the Cli project is referenced).</summary>
    public static string Executable
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "actortrain.exe" : "actortrain");
            if (!File.Exists(path)) throw new FileNotFoundException($"the actortrain executable was not built next to the tests at {path}", path);
            return path;
        }
    }

    public Process Start(string name, params string[] args) => _group.Start(name, Executable, args);

    public IReadOnlyList<string> Lines(string name)
    {
        lock (_gate) return _lines.TryGetValue(name, out var list) ? list.ToList() : [];
    }

    public string Output(string name) => string.Join('\n', Lines(name));

    /// <summary>Waits until a line of <paramref name="name"/> matches; fails the test with the output when it does not in time.</summary>
    public string WaitForLine(string name, Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var found = Lines(name).FirstOrDefault(match);
            if (found is not null) return found;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{name} did not log {what} within {timeout.TotalSeconds}s. Output:\n{Output(name)}");
    }

    /// <summary>Waits for the process to exit; fails with its output when it does not in time.</summary>
    public int WaitForExit(string name, Process process, TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
            throw new TimeoutException($"{name} did not exit within {timeout.TotalSeconds}s. Output:\n{Output(name)}");
        process.WaitForExit(); // drains the output readers
        return process.ExitCode;
    }

    public void Dispose() => _group.Dispose();
}
