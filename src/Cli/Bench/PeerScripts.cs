using System.Diagnostics;
using System.Text;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// Runs the PyTorch peers in bench/peers with Debian's /usr/bin/python3 (which has python3-torch; the python3 first on
/// PATH may not). The folder is <c>ACTORTRAIN_PEERS_DIR</c>, the build's copy of bench/peers next to this executable
/// (peers/), or bench/peers of the repository found upward from the working directory or from this executable.
/// </summary>
public static class PeerScripts
{
    /// <summary>The interpreter that has python3-torch.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>What to do when python3-torch is missing.</summary>
    public const string InstallHint = "install PyTorch for /usr/bin/python3 with: sudo apt-get install -y python3-torch (or pass --no-peer)";

    /// <summary>Full path of <paramref name="script"/> in bench/peers; throws naming every place looked at.</summary>
    public static string Locate(string script)
    {
        foreach (string peers in CandidatePeerDirectories())
        {
            string path = Path.GetFullPath(Path.Combine(peers, script));
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(
            $"peer script {script} not found (looked in peers/ next to the executable, in bench/peers of the working directory, the executable and their parent folders); set ACTORTRAIN_PEERS_DIR to the folder holding {script}, or pass --no-peer");
    }

    /// <summary>Throws (before anything is measured) when <paramref name="script"/> cannot be found or /usr/bin/python3 cannot import torch.</summary>
    public static void RequireTorch(string script)
    {
        Locate(script);
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} not found; {InstallHint}");
        var (exit, _, _) = RunCapture(Python, ["-c", "import torch"], TimeSpan.FromSeconds(120));
        if (exit != 0)
            throw new InvalidOperationException($"{Python} cannot import torch; {InstallHint}");
    }

    /// <summary>
    /// Runs a peer script with arguments; returns its stdout lines. Throws with its stderr tail when it fails.
    /// <paramref name="threads"/> pins OMP/MKL threads like the ranks' own setting.
    /// </summary>
    public static IReadOnlyList<string> Run(string script, IEnumerable<string> args, int threads, TimeSpan timeout)
    {
        string path = Locate(script);
        var env = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = $"{threads}", ["MKL_NUM_THREADS"] = $"{threads}" };
        var (exit, stdout, stderr) = RunCapture(Python, [path, .. args], timeout, env);
        if (exit != 0)
        {
            string tail = string.Join(Environment.NewLine, stderr.Split('\n').TakeLast(8));
            throw new InvalidOperationException($"peer {script} exited with code {exit}:{Environment.NewLine}{tail}");
        }
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static IEnumerable<string> CandidatePeerDirectories()
    {
        if (Environment.GetEnvironmentVariable("ACTORTRAIN_PEERS_DIR") is { Length: > 0 } fromEnv) yield return fromEnv;
        yield return Path.Combine(AppContext.BaseDirectory, "peers");
        // The repository's bench/peers, found from the repository itself or from a build output folder inside it.
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                yield return Path.Combine(dir.FullName, "bench", "peers");
    }

    private static (int Exit, string Stdout, string Stderr) RunCapture(string file, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (env is not null)
            foreach (var (key, value) in env) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(args.FirstOrDefault() ?? file)} did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
