using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ActorTrain.Actors.Job;
using ActorTrain.Actors.Reporting;
using ActorTrain.Cli.Simulation;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

/// <summary>
/// Elastic jobs (actortrain.job.max-restarts): a node of three is killed mid-training; the job restarts from the last
/// complete checkpoint and finishes at the planned step — with the killed node relaunched (simulate does that), or
/// with two nodes (min-nodes = 2, nobody relaunches it). Each run's final parameters are then compared bitwise with a
/// run that resumes from the same checkpoint without interruption.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed partial class ElasticRestartTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(150);
    // Enough steps that the kill at the first checkpoint always lands mid-training (a tiny step takes ~10 ms).
    private const int Steps = 600, SaveEvery = 5;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static IEnumerable<string> Job(string runDir, params string[] more) =>
    [
        .. TinyJob.Sets(runDir, Steps, SaveEvery),
        "actortrain.train.keep-checkpoints=0", // the checkpoint the restart resumed from must still be there to compare
        .. more,
    ];

    [Fact]
    public void A_killed_node_is_relaunched_by_simulate_and_the_job_finishes_bitwise_like_a_resume_from_the_same_checkpoint()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "elastic");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "3", .. TinyJob.AsArguments(Job(runDir, "actortrain.job.max-restarts=2"))]);
        var launch = NodeLaunchLine().Match(processes.WaitForLine("simulate", l => l.StartsWith("simulate: node-2: pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "node-2's pid"));
        processes.WaitForLine("simulate", l => l.StartsWith("checkpoint @ step", StringComparison.Ordinal), RunTimeout, "a checkpoint");
        Assert.Equal(0, Kill(int.Parse(launch.Groups["pid"].Value), 9));

        int exit = processes.WaitForExit("simulate", simulate, RunTimeout);
        string output = processes.Output("simulate");
        Assert.True(exit == 0, output);
        Assert.Contains("simulate: node-2 was killed by signal 9; relaunching it", output);
        Assert.Contains($"done @ step {Steps}", output);
        var restart = Assert.Single(RestartLog.Read(runDir));
        Assert.Equal([launch.Groups["address"].Value], restart.LostNodes);
        Assert.Equal((1, 3, 3), (restart.Attempt, restart.Nodes, restart.WorldSize));
        Assert.Contains("resumed at step", output);

        AssertSameAsUninterruptedResume(processes, temp, runDir, restart, nodes: 3);
        AssertInspectListsTheRestart(runDir, restart);
    }

    [Fact]
    public void With_min_nodes_2_the_two_survivors_finish_alone_with_more_accumulation_bitwise_like_a_two_node_resume()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "elastic");
        var cluster = new ThreeNodes(runDir, "actortrain.job.min-nodes=2", "actortrain.train.grad-accum-steps=2");
        string Address(int i) => cluster.Address(i);
        var nodes = Enumerable.Range(0, 3).Select(i => processes.Start($"node-{i}", cluster.Node(i))).ToArray();
        processes.WaitForLine("node-0", l => EventLine.TryParse(l, out var e) && e?.Kind == "checkpoint", RunTimeout, "a checkpoint event");
        Assert.False(nodes[2].HasExited, processes.Output("node-2")); // it took part: the first rendezvous waited for all three
        Assert.Equal(0, Kill(nodes[2].Id, 9));

        Assert.True(processes.WaitForExit("node-0", nodes[0], RunTimeout) == 0, processes.Output("node-0"));
        Assert.True(processes.WaitForExit("node-1", nodes[1], RunTimeout) == 0, processes.Output("node-1"));
        var restart = Assert.Single(RestartLog.Read(runDir));
        Assert.Equal([Address(2)], restart.LostNodes);
        Assert.Equal((2, 2, 3), (restart.Nodes, restart.WorldSize, restart.GradAccumSteps));
        Assert.Equal(Steps, new CheckpointStore(runDir).LatestStep());

        AssertSameAsUninterruptedResume(processes, temp, runDir, restart, nodes: 2, "actortrain.train.grad-accum-steps=3");
    }

    [Fact]
    public void A_killed_node_started_again_at_once_joins_the_survivors_new_cluster_and_the_job_finishes_after_one_restart()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "at-once");
        var cluster = new ThreeNodes(runDir);
        string Address(int i) => cluster.Address(i);
        var nodes = Enumerable.Range(0, 3).Select(i => processes.Start($"node-{i}", cluster.Node(i))).ToArray();
        processes.WaitForLine("node-0", l => EventLine.TryParse(l, out var e) && e?.Kind == "checkpoint", RunTimeout, "a checkpoint event");
        Assert.Equal(0, Kill(nodes[2].Id, 9));
        nodes[2].WaitForExit();
        // As a fast pod restart: the same address at once, before the survivors even noticed. Its first join reaches
        // the old cluster; it must end up in the one the survivors re-form.
        var again = processes.Start("node-2-again", cluster.Node(2));

        Assert.True(processes.WaitForExit("node-0", nodes[0], RunTimeout) == 0, processes.Output("node-0"));
        Assert.True(processes.WaitForExit("node-1", nodes[1], RunTimeout) == 0, processes.Output("node-1"));
        Assert.True(processes.WaitForExit("node-2-again", again, RunTimeout) == 0, processes.Output("node-2-again"));
        var restart = Assert.Single(RestartLog.Read(runDir));
        Assert.Equal([Address(2)], restart.LostNodes);
        Assert.Equal((3, 3), (restart.Nodes, restart.WorldSize));
        Assert.Equal(Steps, new CheckpointStore(runDir).LatestStep());

        AssertSameAsUninterruptedResume(processes, temp, runDir, restart, nodes: 3);
    }

    /// <summary>`actortrain node` command lines of an elastic job (max-restarts 1) of three nodes on free loopback
    /// ports, node 0 the seed, with <paramref name="more"/> settings.</summary>
    private sealed class ThreeNodes(string runDir, params string[] more)
    {
        private readonly int[] _ports = FreePorts.Take(3);

        public string Address(int i) => $"akka.tcp://actortrain@127.0.0.1:{_ports[i]}";

        public string[] Node(int i) =>
        [
            "node", .. TinyJob.AsArguments(Job(runDir,
            [
                "actortrain.job.max-restarts=1", "actortrain.job.nnodes=3", $"actortrain.job.node-rank={i}",
                "actortrain.cluster.hostname=127.0.0.1", $"actortrain.cluster.port={_ports[i]}", $"actortrain.cluster.seed-nodes={Address(0)}",
                .. more,
            ])),
        ];
    }

    /// <summary>A job of <paramref name="nodes"/> nodes that resumes from the checkpoint the restart resumed from, in its
    /// own run directory, ends with the same parameters, bit for bit.</summary>
    private static void AssertSameAsUninterruptedResume(ActortrainProcesses processes, TempDirectory temp, string runDir, RestartRecord restart, int nodes, params string[] more)
    {
        Assert.NotNull(restart.ResumedFromStep);
        var store = new CheckpointStore(runDir);
        string from = store.DirectoryOf(restart.ResumedFromStep!.Value);
        string referenceDir = Path.Combine(temp.Path, "reference");
        var reference = processes.Start("reference", ["simulate", "--nodes", nodes.ToString(),
            .. TinyJob.AsArguments(Job(referenceDir, [$"actortrain.train.resume={from}", .. more]))]);
        Assert.True(processes.WaitForExit("reference", reference, RunTimeout) == 0, processes.Output("reference"));
        string final = store.Open(Steps).ModelPath;
        string expected = new CheckpointStore(referenceDir).Open(Steps).ModelPath;
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(final)),
            $"{final} differs from {expected}, which resumed from {from} without interruption");
    }

    private static void AssertInspectListsTheRestart(string runDir, RestartRecord restart)
    {
        var inspect = Config.CliRun.Run("inspect", runDir);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Contains($"restart 1: lost {restart.LostNodes[0]}; resumed from step {restart.ResumedFromStep}; cause: ", inspect.Stdout);
    }

    [GeneratedRegex(@"^simulate: node-\d+: pid (?<pid>\d+), (?<address>akka\.tcp://\S+?)(\s|$)")]
    private static partial Regex NodeLaunchLine();
}
