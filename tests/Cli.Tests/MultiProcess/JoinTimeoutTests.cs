using ActorTrain.Cli.Simulation;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed class JoinTimeoutTests
{
    [Fact]
    public void A_job_whose_other_nodes_never_come_fails_after_join_timeout_naming_the_missing_ranks()
    {
        int port = FreePorts.Take(1)[0];
        using var processes = new ActortrainProcesses();
        string[] sets =
        [
            "actortrain.cluster.hostname=127.0.0.1",
            $"actortrain.cluster.port={port}",
            "actortrain.job.nnodes=3",
            "actortrain.job.nproc-per-node=2",
            "actortrain.job.node-rank=0",
            "actortrain.job.join-timeout=2s",
        ];
        var node = processes.Start("node", ["node", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments(sets)]);
        int exit = processes.WaitForExit("node", node, TimeSpan.FromSeconds(30));
        string output = processes.Output("node");

        Assert.True(exit != 0, output);
        var error = processes.Lines("node").Single(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("join-timeout", error);
        Assert.Contains("1 of 3 nodes registered", error);
        Assert.Contains("missing node ranks 1, 2 (ranks 2, 3, 4, 5)", error);
    }
}
