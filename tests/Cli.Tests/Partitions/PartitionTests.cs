using ActorTrain.Actors.Reporting;
using ActorTrain.Cli.Tests.MultiProcess;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.Partitions;

/// <summary>
/// Three <c>actortrain node</c> processes in three network namespaces on one bridge; one host's link is cut while the
/// job trains. What must hold: the cut-off side stops training, the other side stops (default mode) naming the lost node
/// or restarts from the last checkpoint (elastic mode, actortrain.job.max-restarts), no two sides ever write
/// checkpoints into the shared run directory (each checkpoint records the config of the node that wrote it, so its
/// host), and healing the link does not bring up a second job.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class PartitionTests
{
    // Three libtorch processes starting at once on a busy 2-core machine: generous, but every wait ends on an event.
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(60);
    private const int SaveEvery = 4;

    private static string[] JobSets(string runDir, int host, int steps, int saveEvery = SaveEvery) =>
    [
        .. TinyJob.Sets(runDir, steps, saveEvery),
        "actortrain.job.nnodes=3",
        $"actortrain.job.node-rank={host}",
        "actortrain.train.keep-checkpoints=0", // keep every checkpoint: each one's writer is checked
        // The gradients must cross the lab network: "auto" would see one machine and use shared memory.
        "actortrain.job.sync.transport=tcp",
    ];

    [NamespaceTheory]
    [InlineData(2)] // a member without rank 0: the checkpoint writer stays on the majority side
    [InlineData(0)] // the seed, the coordinator singleton and rank 0 (the checkpoint writer) end up alone
    public void Default_mode_the_cut_off_node_stops_the_majority_stops_naming_it_and_healing_starts_no_second_job(int cut)
    {
        using var lab = new NetworkNamespaceLab(3);
        using var temp = new TempDirectory();
        using var nodes = new LabNodes(lab);
        string runDir = Path.Combine(temp.Path, "run");
        for (int host = 0; host < 3; host++) nodes.Start(host, JobSets(runDir, host, steps: 100_000));
        int[] majority = [.. Enumerable.Range(0, 3).Where(h => h != cut)];

        // Rank 0 (node rank 0, host 0) has checkpointed twice: the job trains across the bridge.
        nodes.WaitForLine(0, l => IsEvent(l, "checkpoint", minStep: 2 * SaveEvery), Startup, $"the checkpoint of step {2 * SaveEvery}");
        var before = new CheckpointStore(runDir).CompleteSteps().ToHashSet();

        var cutAt = DateTime.UtcNow;
        lab.Cut(cut);

        // The majority stops, naming the node it lost (its address and node rank).
        string lost = $"{LabNodes.AkkaAddress(cut)} (node rank {cut}";
        foreach (int host in majority)
            nodes.WaitForLine(host, l => l.Contains("job failed", StringComparison.Ordinal) && l.Contains(lost, StringComparison.Ordinal), Stop,
                $"a job failure naming {lost})");
        // Heal while the nodes are still winding down: the cut-off node can hear the others again.
        lab.Heal(cut);

        var exits = Enumerable.Range(0, 3).ToDictionary(h => h, h => nodes.WaitForExit(h, Stop));
        string output = nodes.AllOutput();
        foreach (var (host, code) in exits) Assert.True(code != 0, $"host {host} exited {code} after the partition:\n{output}");

        // The cut-off side stopped training too: it failed its job over the unreachable members — noticed by its own
        // failure detector, or told by the others once the link is back, whichever comes first.
        string self = $"job failed on node {LabNodes.AkkaAddress(cut)} (node rank {cut})";
        Assert.True(nodes.Lines(cut).Any(l => l.Line.Contains(self, StringComparison.Ordinal) && l.Line.Contains("UNREACHABLE", StringComparison.Ordinal)),
            $"the cut-off host {cut} did not fail its job over the partition:\n{output}");
        // No step completed once the partition was noticed (the first failure seen anywhere, seconds after the cut).
        var noticed = Enumerable.Range(0, 3).SelectMany(nodes.Lines).Where(l => l.Line.Contains("UNREACHABLE", StringComparison.Ordinal)).Min(l => l.At);
        Assert.DoesNotContain(Enumerable.Range(0, 3).SelectMany(nodes.Lines), l => l.At > noticed && IsEvent(l.Line, "step", 0));

        // Healing brought up no second job: no member came Up, no node got a node rank, after the cut.
        foreach (int host in Enumerable.Range(0, 3))
        {
            var late = nodes.Lines(host).Where(l => l.At > cutAt && (l.Line.Contains(" is Up", StringComparison.Ordinal)
                || l.Line.Contains(" is node rank ", StringComparison.Ordinal))).ToList();
            Assert.True(late.Count == 0, $"host {host} after the cut: {string.Join(" | ", late.Select(l => l.Line))}\n{output}");
        }

        // No two sides wrote checkpoints: every checkpoint in the run directory was written by host 0 (rank 0), and after
        // the cut at most the one that was being saved at that moment was completed.
        var writers = CheckpointWriters(runDir);
        Assert.All(writers, w => Assert.Equal(NetworkNamespaceLab.Address(0), w.Value));
        var after = writers.Keys.Except(before).ToList();
        Assert.True(after.Count <= 1 && after.All(s => s <= before.Max() + SaveEvery),
            $"checkpoints written after the cut: {string.Join(", ", after)} (before: {string.Join(", ", before.Order())})\n{output}");
        Assert.Equal(writers.Keys.Max(), new CheckpointStore(runDir).OpenLatest()!.State.Step);
    }

    /// <summary>Elastic mode, once actortrain.job.max-restarts exists (branch elastic): rank 0's host (also the seed and the
    /// coordinator) is cut off; the other two restart from the last checkpoint and finish the planned steps while the
    /// cut-off node stops; after the cut, checkpoints come from the majority only (at most the one rank 0 was saving at
    /// that moment completes), and healing the link brings no second job.</summary>
    [NamespaceFact]
    public void Elastic_mode_the_majority_restarts_from_the_last_checkpoint_and_finishes_while_the_cut_off_node_stops()
    {
        // A tiny step takes milliseconds: enough steps that the cut comes early, few enough checkpoints to keep them all.
        const int cut = 0, steps = 1500, saveEvery = 100;
        using var lab = new NetworkNamespaceLab(3);
        using var temp = new TempDirectory();
        using var nodes = new LabNodes(lab);
        string runDir = Path.Combine(temp.Path, "run");
        // min-nodes 2 of 3: the global batch (3 nodes × grad-accum-steps micro-batches) must divide among 2 or 3 nodes.
        string[] elastic = ["actortrain.job.max-restarts=2", .. OptionalKey("actortrain.job.min-nodes", "2"), .. OptionalKey("actortrain.job.max-nodes", "3"),
            .. ReferenceConfig.Load().HasPath("actortrain.job.min-nodes") ? ["actortrain.train.grad-accum-steps=6"] : Array.Empty<string>()];
        for (int host = 0; host < 3; host++) nodes.Start(host, [.. JobSets(runDir, host, steps, saveEvery), .. elastic]);

        nodes.WaitForLine(0, l => IsEvent(l, "checkpoint", minStep: saveEvery), Startup, $"the checkpoint of step {saveEvery}");
        var before = new CheckpointStore(runDir).CompleteSteps().ToHashSet();
        lab.Cut(cut);

        Assert.True(nodes.WaitForExit(cut, Stop) != 0, nodes.AllOutput());
        lab.Heal(cut);
        foreach (int host in new[] { 1, 2 })
            Assert.True(nodes.WaitForExit(host, Startup) == 0, $"host {host} did not finish after restarting:\n{nodes.AllOutput()}");

        var writers = CheckpointWriters(runDir);
        Assert.Equal(steps, writers.Keys.Max());
        var fromCutOffHostAfterCut = writers.Where(w => !before.Contains(w.Key) && w.Value == NetworkNamespaceLab.Address(cut)).ToList();
        Assert.True(fromCutOffHostAfterCut.Count <= 1 && fromCutOffHostAfterCut.All(w => w.Key <= before.Max() + saveEvery),
            $"the cut-off host wrote checkpoints after the cut: {string.Join(", ", fromCutOffHostAfterCut.Select(w => w.Key))}\n{nodes.AllOutput()}");
        Assert.Contains(writers, w => !before.Contains(w.Key) && w.Value != NetworkNamespaceLab.Address(cut)); // the majority went on
    }

    private static IEnumerable<string> OptionalKey(string key, string value) =>
        ReferenceConfig.Load().HasPath(key) ? [$"{key}={value}"] : [];

    private static bool IsEvent(string line, string kind, long minStep) =>
        EventLine.TryParse(line, out var e) && e!.Kind == kind && e.Step >= minStep;

    /// <summary>Each complete checkpoint's step and the host of the node that wrote it (from the config it saved).</summary>
    private static Dictionary<long, string> CheckpointWriters(string runDir)
    {
        var store = new CheckpointStore(runDir);
        return store.CompleteSteps().ToDictionary(step => step, step =>
            ConfigFactory.ParseString(store.Open(step).State.ConfigText, $"checkpoint {step}").Resolve(new Dictionary<string, string>())
                .GetString("actortrain.cluster.hostname"));
    }
}
