using System.Diagnostics;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Tests.Sync.CrossProcess;

/// <summary>A set of sync peer processes (see <see cref="StartupHook"/>), killed on disposal whatever happened.</summary>
internal sealed class PeerProcesses : IAsyncDisposable
{
    private PeerProcesses(List<PeerProcess> processes) => Processes = processes;

    public IReadOnlyList<PeerProcess> Processes { get; }

    public static async Task<PeerProcesses> StartAsync(int world, string strategy, string transport, int length, int iterations)
    {
        string assembly = typeof(PeerProcesses).Assembly.Location;
        var processes = new List<PeerProcess>();
        var peers = new PeerProcesses(processes);
        try
        {
            for (int rank = 0; rank < world; rank++)
            {
                var start = new ProcessStartInfo("dotnet")
                {
                    ArgumentList = { "exec", assembly },
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                    Environment =
                    {
                        ["DOTNET_STARTUP_HOOKS"] = assembly,
                        [StartupHook.PeerVariable] = $"{rank};{world};{strategy};{transport};{length};{iterations}",
                    },
                };
                processes.Add(new PeerProcess(Process.Start(start)!));
            }
            var ports = new List<string[]>();
            foreach (var peer in processes)
                ports.Add((await peer.WaitForLineAsync(l => l.StartsWith("ENDPOINT ", StringComparison.Ordinal), TimeSpan.FromSeconds(30))).Split(' '));
            string line = $"ENDPOINTS {string.Join(",", ports.Select(p => p[1]))} PS {(strategy == "parameter-server" ? ports[0][2] : "-")} TOKEN {DataLinkToken.ToHex(DataLinkToken.Create())}";
            foreach (var peer in processes)
            {
                await peer.Process.StandardInput.WriteLineAsync(line);
                await peer.Process.StandardInput.FlushAsync();
            }
            return peers;
        }
        catch
        {
            await peers.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var peer in Processes)
        {
            try { if (!peer.Process.HasExited) peer.Process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            peer.Process.WaitForExit(5000);
            peer.Process.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>One peer process and its stdout, read line by line.</summary>
internal sealed class PeerProcess(Process process)
{
    private readonly List<string> _seen = [];

    public Process Process { get; } = process;

    /// <summary>Reads stdout until a line matches; fails with everything seen when the process ends or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                string? line = await Process.StandardOutput.ReadLineAsync(cancel.Token);
                if (line is null) throw new Xunit.Sdk.XunitException($"peer {Process.Id} exited; output: {string.Join(" | ", _seen)}");
                _seen.Add(line);
                if (match(line)) return line;
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"peer {Process.Id} printed no matching line within {timeout}; output: {string.Join(" | ", _seen)}");
        }
    }

    /// <summary>All remaining stdout lines, once the process has exited.</summary>
    public async Task<List<string>> ReadLinesUntilExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await Process.StandardOutput.ReadLineAsync(cancel.Token) is { } line) _seen.Add(line);
        await Process.WaitForExitAsync(cancel.Token);
        return _seen;
    }
}
