using ActorTrain.Cli.Simulation;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed class NodeMembershipTests
{
    [Fact]
    public void Three_nodes_form_a_cluster_and_the_survivors_report_a_killed_node_unreachable_within_the_detector_bound()
    {
        int[] ports = FreePorts.Take(3);
        string Address(int i) => $"akka.tcp://actortrain@127.0.0.1:{ports[i]}";
        using var processes = new ActortrainProcesses();
        var nodes = new System.Diagnostics.Process[3];
        for (int i = 0; i < 3; i++)
        {
            string[] sets =
            [
                "actortrain.cluster.hostname=127.0.0.1",
                $"actortrain.cluster.port={ports[i]}",
                $"actortrain.cluster.seed-nodes={Address(0)}",
                .. TinyJob.FastDetector(),
            ];
            nodes[i] = processes.Start($"node-{i}", ["node", "--membership-only", "--verbose", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments(sets)]);
        }

        // Every node sees all three Up.
        foreach (int observer in new[] { 0, 2 })
            for (int member = 0; member < 3; member++)
                processes.WaitForLine($"node-{observer}", l => l.Contains($"member {Address(member)} is Up"), TimeSpan.FromSeconds(30), $"{Address(member)} Up");

        nodes[1].Kill(); // SIGKILL: no goodbye, only silence
        var killedAt = DateTime.UtcNow;

        // Phi-accrual: a silent node crosses the threshold roughly heartbeat-interval + acceptable-heartbeat-pause
        // after its last heartbeat; the margin covers the reaper interval and a loaded machine.
        var bound = TimeSpan.FromMilliseconds(200) + TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(6);
        foreach (int survivor in new[] { 0, 2 })
        {
            var line = processes.WaitForLine($"node-{survivor}", l => l.Contains("UNREACHABLE") && l.Contains(Address(1)), bound,
                $"that {Address(1)} is UNREACHABLE");
            Assert.Contains(Address(1), line);
        }
        Assert.True(DateTime.UtcNow - killedAt < bound);
        Assert.False(nodes[0].HasExited, processes.Output("node-0"));
        Assert.False(nodes[2].HasExited, processes.Output("node-2"));
    }
}
