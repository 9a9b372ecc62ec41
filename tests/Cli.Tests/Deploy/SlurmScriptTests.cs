using ActorTrain.Cli.Simulation;
using ActorTrain.Cli.Tests.MultiProcess;
using ActorTrain.Model.Tests;
using Xunit;

namespace ActorTrain.Cli.Tests.Deploy;

/// <summary>
/// deploy/slurm/train.sbatch run as sbatch would run it on the first node, with a stand-in <c>srun</c> that starts one
/// task per host of the allocation with the variables real srun sets (SLURM_NODEID, SLURM_LOCALID, SLURMD_NODENAME,
/// SLURM_PROCID). The hosts are 127.0.0.3, .1, .2 (all loopback): the three nodes must find the seed, take their node ranks
/// from Slurm's variables alone, and train a tiny job to the end.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class SlurmScriptTests
{
    private const string FakeSrun = """
        #!/bin/bash
        # Stand-in for srun: one task per host in FAKE_SRUN_HOSTS, each with srun's per-task variables; fails when a task fails.
        [[ "$1" == --kill-on-bad-exit=1 ]] && shift
        i=0; pids=()
        for host in $FAKE_SRUN_HOSTS; do
          SLURM_NODEID=$i SLURM_PROCID=$i SLURM_LOCALID=0 SLURMD_NODENAME=$host "$@" 2>&1 | sed "s/^/task $i: /" &
          pids+=($!); i=$((i+1))
        done
        rc=0
        for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
        exit $rc
        """;

    // Not in address order: node ranks assigned by the leader (address order) would differ from Slurm's node ids.
    private static readonly string[] Hosts = ["127.0.0.3", "127.0.0.1", "127.0.0.2"];

    [Fact]
    public void The_sbatch_script_starts_one_node_per_host_that_derive_their_ranks_and_seed_from_slurm_and_train_to_the_end()
    {
        using var temp = new TempDirectory();
        string bin = Path.Combine(temp.Path, "bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "srun"), FakeSrun.Replace("\r", ""));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(bin, "srun"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string runDir = Path.Combine(temp.Path, "run");
        int port = FreePorts.Take(1)[0];
        var env = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["ACTORTRAIN"] = ActortrainProcesses.Executable,
            ["FAKE_SRUN_HOSTS"] = string.Join(' ', Hosts),
            ["SLURM_JOB_ID"] = "4242",
            ["SLURM_JOB_NODELIST"] = "127.0.0.[3,1-2]",
            ["SLURM_NNODES"] = "3",
            ["SLURM_NTASKS_PER_NODE"] = "1",
            ["SLURM_NODEID"] = "0", // the batch script itself runs on the first node
            ["MASTER_PORT"] = port.ToString(),
            ["ACTORTRAIN_JOB_RUN_DIR"] = runDir,
        };
        var lines = new List<string>();
        using var group = new ChildProcessGroup((_, line, _) => { lock (lines) lines.Add(line); });
        string[] nodeArgs = ["--parent-pid", Environment.ProcessId.ToString(), "--verbose", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 6, saveEvery: 3))];
        var batch = group.Start("sbatch", "bash", [RepositoryFiles.Path("deploy/slurm/train.sbatch"), .. nodeArgs], env);

        bool exited = batch.WaitForExit(TimeSpan.FromSeconds(150));
        string output;
        lock (lines) output = string.Join('\n', lines);
        Assert.True(exited, $"the batch script did not finish within 150s:\n{output}");
        batch.WaitForExit();
        Assert.True(batch.ExitCode == 0, $"the batch script exited {batch.ExitCode}:\n{output}");

        // Each task is the node Slurm's variables say, at its own host, seeded by the first host of the node list.
        for (int node = 0; node < 3; node++)
        {
            string expected = $"Node akka.tcp://actortrain@{Hosts[node]}:{port} is node rank {node} of 3";
            Assert.True(output.Split('\n').Any(l => l.StartsWith($"task {node}: ", StringComparison.Ordinal) && l.Contains(expected, StringComparison.Ordinal)),
                $"task {node} did not log '{expected}':\n{output}");
        }
        Assert.Contains($"seed nodes: akka.tcp://actortrain@{Hosts[0]}:{port}", output);
        Assert.Equal(6, new Model.Checkpoints.CheckpointStore(runDir).LatestStep());
    }
}
