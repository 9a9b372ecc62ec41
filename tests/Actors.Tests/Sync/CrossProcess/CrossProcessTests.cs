using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace ActorTrain.Actors.Tests.Sync.CrossProcess;

public sealed class CrossProcessTests
{
    [Theory]
    [InlineData("ring", "auto")]
    [InlineData("ring", "tcp")]
    [InlineData("parameter-server", "auto")]
    public async Task Ranks_in_separate_processes_agree_bitwise_on_the_sum(string strategy, string transport)
    {
        await using var peers = await PeerProcesses.StartAsync(3, strategy, transport, length: 50_001, iterations: 3);
        var lines = await Task.WhenAll(peers.Processes.Select(p => p.ReadLinesUntilExitAsync(TimeSpan.FromSeconds(60))));
        for (int i = 0; i < 3; i++)
        {
            var iteration = lines.Select(l => l.Single(x => x.StartsWith($"ITER {i} ", StringComparison.Ordinal)).Split(' ')).ToArray();
            Assert.All(iteration, parts => Assert.Equal("ok", parts[3]));
            Assert.All(iteration, parts => Assert.Equal(iteration[0][2], parts[2]));
        }
        Assert.All(peers.Processes, p => Assert.Equal(0, p.Process.ExitCode));
    }

    [Theory]
    [InlineData("ring", "auto")]
    [InlineData("ring", "tcp")]
    [InlineData("parameter-server", "tcp")]
    public async Task Killing_a_rank_mid_all_reduce_makes_every_survivor_fail_fast_naming_it(string strategy, string transport)
    {
        const int victim = 2;
        await using var peers = await StartEndlessAllReducesAsync(strategy, transport);

        peers.Processes[victim].Process.Kill(); // SIGKILL: no goodbye, no cleanup
        var clock = Stopwatch.StartNew();
        foreach (var peer in peers.Processes.Where((_, r) => r != victim))
        {
            string failed = await peer.WaitForLineAsync(l => l.StartsWith("FAILED ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            Assert.StartsWith($"FAILED {victim} ", failed);
            Assert.Contains($"rank {victim} at 127.0.0.1", failed);
        }
        // Generous bound, far below the 60 s collective timeout the peers run with: detection is by connection, not by timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"survivors needed {clock.Elapsed} to fail");
    }

    [Theory]
    [InlineData("ring", "tcp")]
    [InlineData("ring", "auto")]
    [InlineData("parameter-server", "tcp")]
    public async Task A_frozen_rank_holds_no_survivor_once_the_group_is_aborted(string strategy, string transport)
    {
        const int victim = 2;
        await using var peers = await StartEndlessAllReducesAsync(strategy, transport);

        var frozen = peers.Processes[victim].Process;
        Assert.Equal(0, Kill(frozen.Id, SigStop)); // alive, connections open, nobody reading: a frozen node
        try
        {
            await Task.Delay(1000); // the survivors are now blocked in a collective with it
            var survivors = peers.Processes.Where((_, r) => r != victim).ToList();
            foreach (var survivor in survivors)
            {
                await survivor.Process.StandardInput.WriteLineAsync($"ABORT {victim}");
                await survivor.Process.StandardInput.FlushAsync();
            }
            var clock = Stopwatch.StartNew();
            foreach (var survivor in survivors)
            {
                string failed = await survivor.WaitForLineAsync(l => l.StartsWith("FAILED ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
                Assert.StartsWith($"FAILED {victim} ", failed);
                Assert.Contains("stopped responding", failed);
                // The peer exits only after its sync is disposed: closing did not wait on the frozen rank either.
                await survivor.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                Assert.Equal(3, survivor.Process.ExitCode);
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"survivors needed {clock.Elapsed} to fail and close");
            Assert.False(frozen.HasExited, "the victim must still be frozen while the survivors close");
        }
        finally
        {
            Kill(frozen.Id, SigCont);
        }
    }

    private const int SigStop = 19, SigCont = 18; // Linux x64/arm64

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Four peers all-reducing 1M floats without end, returned once every one finished its first iteration.</summary>
    private static async Task<PeerProcesses> StartEndlessAllReducesAsync(string strategy, string transport)
    {
        var peers = await PeerProcesses.StartAsync(4, strategy, transport, length: 1_000_000, iterations: -1);
        try
        {
            foreach (var peer in peers.Processes)
                await peer.WaitForLineAsync(l => l.StartsWith("ITER 1 ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            return peers;
        }
        catch
        {
            await peers.DisposeAsync();
            throw;
        }
    }
}
