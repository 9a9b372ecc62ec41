using System.Diagnostics;
using System.Globalization;

namespace ActorTrain.Cli.Tests.Partitions;

/// <summary>
/// A private network of N hosts made of Linux network namespaces: one namespace per host with an <c>eth0</c> at
/// 10.77.0.(i+1)/24, and a hub namespace with a bridge that the hosts' veth pairs plug into. Nothing is added to the
/// machine's own namespace, so the addresses cannot clash with anything real. Cutting host i sets its bridge port down
/// (packets dropped, no reset: a real partition).
/// Namespaces are named <c>atp-&lt;pid&gt;-&lt;n&gt;-…</c>; dispose (and process exit) deletes them, and a new lab first
/// deletes any whose creating process is gone (a crashed or killed test run).
/// </summary>
internal sealed class NetworkNamespaceLab : IDisposable
{
    private const string Prefix = "atp-";
    private static int _labs;
    private static readonly Lazy<string?> Refusal = new(Probe);
    private const string NetnsEtc = "/etc/netns";
    private readonly List<string> _created = new();
    private readonly List<string> _etcDirs = new();
    private bool _disposed;

    /// <summary>Why this machine cannot build namespaces (not Linux, not root, no ip, or ip netns add or a veth fails), or null.</summary>
    public static string? WhyUnavailable => Refusal.Value;

    public NetworkNamespaceLab(int hosts)
    {
        if (WhyUnavailable is { } why) throw new InvalidOperationException($"network namespaces are unavailable: {why}");
        RemoveStale();
        string tag = $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref _labs)}";
        Hub = tag + "-hub";
        Hosts = Enumerable.Range(0, hosts).Select(i => $"{tag}-h{i}").ToArray();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            AddNamespace(Hub);
            Ip("-n", Hub, "link", "add", "br0", "type", "bridge");
            Ip("-n", Hub, "link", "set", "br0", "up");
            for (int i = 0; i < hosts; i++)
            {
                AddNamespace(Hosts[i]);
                Ip("-n", Hub, "link", "add", Port(i), "type", "veth", "peer", "name", "eth0", "netns", Hosts[i]);
                Ip("-n", Hub, "link", "set", Port(i), "master", "br0", "up");
                Ip("-n", Hosts[i], "addr", "add", $"{Address(i)}/24", "dev", "eth0");
                Ip("-n", Hosts[i], "link", "set", "eth0", "up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The hub namespace (the bridge).</summary>
    public string Hub { get; }

    /// <summary>The host namespaces, one per host.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Host i's address on the lab network.</summary>
    public static string Address(int host) => $"10.77.0.{host + 1}";

    private static string Port(int host) => $"p{host}";

    /// <summary>Cuts host i off: its bridge port goes down, so its packets (both ways) are dropped.</summary>
    public void Cut(int host) => Ip("-n", Hub, "link", "set", Port(host), "down");

    /// <summary>Heals a cut: the bridge port comes back up.</summary>
    public void Heal(int host) => Ip("-n", Hub, "link", "set", Port(host), "up");

    /// <summary>The command line that runs <paramref name="fileName"/> inside host i's namespace. With
    /// <paramref name="ownSharedMemory"/> it also gets a private mount namespace with its own tmpfs on /dev/shm, as a
    /// container or a separate machine has.</summary>
    public (string FileName, IReadOnlyList<string> Args) InHost(int host, string fileName, IEnumerable<string> args, bool ownSharedMemory = false) =>
        ownSharedMemory
            ? ("ip", ["netns", "exec", Hosts[host], "unshare", "--mount", "--propagation", "private",
                "sh", "-c", "mount -t tmpfs -o size=256m tmpfs /dev/shm && exec \"$0\" \"$@\"", fileName, .. args])
            : ("ip", ["netns", "exec", Hosts[host], fileName, .. args]);

    /// <summary>Gives every host the same /etc/hosts entries (name → that host's lab address): <c>ip netns exec</c>
    /// bind-mounts /etc/netns/&lt;namespace&gt;/hosts over /etc/hosts, so names resolve as a cluster DNS would.</summary>
    public void SetHostNames(Func<int, string> nameOf)
    {
        string lines = "127.0.0.1 localhost\n" + string.Concat(Enumerable.Range(0, Hosts.Count).Select(i => $"{Address(i)} {nameOf(i)}\n"));
        foreach (var ns in Hosts)
        {
            string dir = Path.Combine(NetnsEtc, ns);
            Directory.CreateDirectory(dir);
            _etcDirs.Add(dir);
            File.WriteAllText(Path.Combine(dir, "hosts"), lines);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var ns in _created.AsEnumerable().Reverse()) TryDelete(ns);
        foreach (var dir in _etcDirs) TryDeleteDirectory(dir);
    }

    private static void TryDeleteDirectory(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private void AddNamespace(string name)
    {
        Ip("netns", "add", name);
        _created.Add(name);
        Ip("-n", name, "link", "set", "lo", "up");
    }

    /// <summary>Deletes lab namespaces (and their /etc/netns files) left by test processes that no longer run.</summary>
    private static void RemoveStale()
    {
        foreach (var ns in ListNamespaces().Where(IsStale)) TryDelete(ns);
        if (Directory.Exists(NetnsEtc))
            foreach (var dir in Directory.GetDirectories(NetnsEtc).Where(d => IsStale(Path.GetFileName(d)))) TryDeleteDirectory(dir);
    }

    private static bool IsStale(string ns)
    {
        if (!ns.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = ns[Prefix.Length..].Split('-');
        return parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { return !Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static IEnumerable<string> ListNamespaces()
    {
        var (code, output) = TryRun("ip", "netns", "list");
        // "name (id: 3)" or "name"
        return code == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]) : [];
    }

    private static void TryDelete(string ns) => TryRun("ip", "netns", "delete", ns);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "network namespaces need Linux";
        if (!Environment.IsPrivilegedProcess) return "creating network namespaces needs root (run the tests as root)";
        string probe = $"{Prefix}{Environment.ProcessId}-probe";
        var (code, output) = TryRun("ip", "netns", "add", probe);
        if (code != 0) return $"'ip netns add' failed ({output.Trim()})";
        try
        {
            (code, output) = TryRun("ip", "-n", probe, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
            if (code != 0) return $"'ip link add … type veth' failed in a namespace ({output.Trim()})";
            return null;
        }
        finally { TryDelete(probe); }
    }

    private static void Ip(params string[] args) => Run("ip", args);

    private static void Run(string fileName, params string[] args)
    {
        var (code, output) = TryRun(fileName, args);
        if (code != 0) throw new InvalidOperationException($"'{fileName} {string.Join(' ', args)}' failed (exit {code}): {output.Trim()}");
    }

    private static (int Code, string Output) TryRun(string fileName, params string[] args)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000))
            {
                p.Kill(entireProcessTree: true);
                return (-1, $"{fileName} did not finish within 30s");
            }
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{fileName}: {e.Message}");
        }
    }
}
