using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed partial class SimulateJobTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void Two_node_simulation_finishes_and_every_rank_logs_the_same_parameter_checksum()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", "--verbose", .. TinyJob.AsArguments(TinyJob.Sets(Path.Combine(temp.Path, "run"), steps: 4, saveEvery: 0))]);
        int exit = processes.WaitForExit("simulate", simulate, RunTimeout);
        string output = processes.Output("simulate");
        Assert.True(exit == 0, output);

        // The last checksum each node logged (one rank per node here) must agree across nodes.
        var lastByNode = new Dictionary<string, string>();
        foreach (var line in processes.Lines("simulate"))
        {
            var m = ChecksumLine().Match(line);
            if (m.Success) lastByNode[m.Groups["node"].Value] = m.Groups["sum"].Value;
        }
        Assert.True(lastByNode.Count == 2, $"expected a parameter checksum from both nodes:\n{output}");
        Assert.Single(lastByNode.Values.Distinct());

        // A finished job is a requested stop: the nodes leave the cluster without warnings or errors.
        var afterDone = processes.Lines("simulate").SkipWhile(l => !l.StartsWith("done @ step", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(afterDone);
        Assert.DoesNotContain(afterDone, l => l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal)
            || l.Contains("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void Killing_a_node_mid_training_stops_the_job_naming_the_node_and_a_loadable_last_checkpoint()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "run");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "3", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 100000, saveEvery: 3))]);

        var started = processes.WaitForLine("simulate", l => l.StartsWith("simulate: node-1: pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "node-1's pid");
        var launch = NodeLaunchLine().Match(started);
        int pid = int.Parse(launch.Groups["pid"].Value);
        string address = launch.Groups["address"].Value;
        processes.WaitForLine("simulate", l => l.StartsWith("checkpoint @ step", StringComparison.Ordinal), RunTimeout, "a checkpoint");

        using (var node = Process.GetProcessById(pid)) node.Kill(); // SIGKILL
        var killed = Stopwatch.StartNew();
        int exit = processes.WaitForExit("simulate", simulate, TimeSpan.FromSeconds(30));
        string output = processes.Output("simulate");

        Assert.True(exit != 0, output);
        // Collectives fail at once; membership would notice within heartbeat-interval + acceptable-heartbeat-pause.
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(20), $"the job took {killed.Elapsed} to stop:\n{output}");
        var failure = processes.Lines("simulate").FirstOrDefault(l => l.Contains("job failed", StringComparison.Ordinal) && l.Contains(address, StringComparison.Ordinal));
        Assert.True(failure is not null, $"no failure message naming {address}:\n{output}");
        var checkpoint = LastCheckpoint().Match(failure!);
        Assert.True(checkpoint.Success, $"the failure message names no checkpoint: {failure}");

        var opened = Checkpoint.Open(checkpoint.Groups["dir"].Value);
        var (entries, length) = EntriesOf(opened.ModelPath);
        var parameters = new float[length];
        opened.LoadModel(entries, parameters);
        Assert.Contains(parameters, p => p != 0f);
        Assert.True(opened.State.Step > 0);
    }

    [Fact]
    public void Ring_parameter_server_shard_applied_optimizer_and_akka_transport_runs_of_the_same_job_end_with_the_same_parameters()
    {
        using var temp = new TempDirectory();
        var finals = new Dictionary<string, string>();
        (string Name, string[] Arguments)[] runs =
        [
            ("ring", ["--strategy", "ring"]),
            ("parameter-server", ["--strategy", "parameter-server"]),
            ("shards apply the optimizer", ["--strategy", "parameter-server", "--set", "actortrain.job.sync.ps.apply-optimizer=on"]),
            // Buckets as Akka messages through Akka.Remote between the two nodes' actor systems.
            ("ring over akka", ["--strategy", "ring", "--transport", "akka"]),
        ];
        foreach (var (name, arguments) in runs)
        {
            using var processes = new ActortrainProcesses();
            string runDir = Path.Combine(temp.Path, name.Replace(' ', '-'));
            var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", .. arguments, .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 3, saveEvery: 0))]);
            int exit = processes.WaitForExit("simulate", simulate, RunTimeout);
            Assert.True(exit == 0, processes.Output("simulate"));
            var store = new CheckpointStore(runDir);
            Assert.True(store.LatestStep() == 3, $"{name}: no final checkpoint at step 3 in {runDir}");
            finals[name] = store.Open(3).ModelPath;
        }

        using var ring = SafeTensorsReader.Open(finals["ring"]);
        foreach (var other in runs.Skip(1).Select(r => r.Name))
        {
            using var reader = SafeTensorsReader.Open(finals[other]);
            Assert.Equal(ring.Tensors.Select(t => t.Name).Order(), reader.Tensors.Select(t => t.Name).Order());
            foreach (var tensor in ring.Tensors)
            {
                float[] a = ring.ReadFloat32(tensor.Name), b = reader.ReadFloat32(tensor.Name);
                for (int i = 0; i < a.Length; i++)
                    Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f + 1e-4f * Math.Abs(a[i]), $"{tensor.Name}[{i}]: ring {a[i]} vs {other} {b[i]}");
            }
        }
    }

    /// <summary>Flat-buffer entries matching the tensors of a safetensors file, in file order.</summary>
    private static (List<FlatTensorEntry> Entries, int Length) EntriesOf(string modelPath)
    {
        using var reader = SafeTensorsReader.Open(modelPath);
        var entries = new List<FlatTensorEntry>();
        int offset = 0;
        foreach (var t in reader.Tensors)
        {
            entries.Add(new FlatTensorEntry(t.Name, offset, t.Shape));
            offset += (int)t.ElementCount;
        }
        return (entries, offset);
    }

    [GeneratedRegex(@"^\[(?<node>node-\d+)\].*parameter checksum[\s:=]+(?<sum>[0-9A-Za-z.+\-]+)")]
    private static partial Regex ChecksumLine();

    [GeneratedRegex(@"^simulate: node-\d+: pid (?<pid>\d+), (?<address>akka.tcp://\S+?)(\s|$)")]
    private static partial Regex NodeLaunchLine();

    [GeneratedRegex(@"Last checkpoint: (?<dir>.+?) \(step \d+\)")]
    private static partial Regex LastCheckpoint();
}
