using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed partial class FailureAndInterruptTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private const int SigInt = 2, SigCont = 18, SigStop = 19;

    [Fact]
    public void A_frozen_node_stops_the_job_naming_it_and_its_real_silence()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "run");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "3", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 100000, saveEvery: 3))]);
        var launch = NodeLaunchLine().Match(processes.WaitForLine("simulate", l => l.StartsWith("simulate: node-1: pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "node-1's pid"));
        int pid = int.Parse(launch.Groups["pid"].Value);
        string address = launch.Groups["address"].Value;
        processes.WaitForLine("simulate", l => l.StartsWith("checkpoint @ step", StringComparison.Ordinal), RunTimeout, "a checkpoint");

        Assert.Equal(0, Kill(pid, SigStop));
        var frozen = Stopwatch.StartNew();
        try
        {
            int exit = processes.WaitForExit("simulate", simulate, TimeSpan.FromSeconds(60));
            var took = frozen.Elapsed;
            string output = processes.Output("simulate");
            Assert.True(exit != 0, output);
            var headline = processes.Lines("simulate").Single(l => l.StartsWith("simulate: the job failed:", StringComparison.Ordinal));
            Assert.Contains("node-1", headline);
            Assert.Contains(address, headline);
            var failure = processes.Lines("simulate").FirstOrDefault(l => l.Contains("job failed", StringComparison.Ordinal) && l.Contains(address + " (node rank", StringComparison.Ordinal));
            Assert.True(failure is not null, $"no failure message naming {address}:\n{output}");
            Assert.Matches(@"no heartbeats from it for \d+\.\ds", failure);
            Assert.Contains("Last checkpoint: ", failure);
            Assert.True(took < TimeSpan.FromSeconds(30), $"the job took {took} to stop after the freeze:\n{output}");
        }
        finally
        {
            Kill(pid, SigCont);
        }
    }

    [Fact]
    public void Interrupting_simulate_stops_every_node_with_a_complete_interrupt_checkpoint_and_no_error_lines()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "run");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", "--verbose", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 100000, saveEvery: 0))]);
        processes.WaitForLine("simulate", l => l.StartsWith("step 3/", StringComparison.Ordinal), RunTimeout, "step 3");

        Assert.Equal(0, Kill(simulate.Id, SigInt));
        int exit = processes.WaitForExit("simulate", simulate, TimeSpan.FromSeconds(40));
        string output = processes.Output("simulate");

        Assert.True(exit == 130, output);
        Assert.Contains("every node stopped", output);
        Assert.DoesNotContain(processes.Lines("simulate"), l => l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains("error:", StringComparison.Ordinal)
            || l.Contains("Association with remote system", StringComparison.Ordinal));
        var store = new CheckpointStore(runDir);
        Assert.True(store.LatestStep() is > 0, $"no interrupt checkpoint in {runDir}:\n{output}");
        var opened = store.Open(store.LatestStep()!.Value);
        Assert.Equal(store.LatestStep(), opened.State.Step);
    }

    [GeneratedRegex(@"^simulate: node-\d+: pid (?<pid>\d+), (?<address>akka\.tcp://\S+?)(\s|$)")]
    private static partial Regex NodeLaunchLine();
}
