using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Tests.MultiProcess;
using ActorTrain.Cli.Tests.Partitions;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.Deploy;

/// <summary>
/// The StatefulSet's pods, run as close to a real cluster as this machine allows: each pod is a network namespace on a
/// bridge with its own /dev/shm (as containers on different machines have), the headless Service's DNS names resolve
/// through each namespace's hosts file, and each node runs the container's own args and environment (downward API,
/// $(VAR) references, the ConfigMap and TLS secret as mounted files). Only the job is made tiny.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const int PodSteps = 6;

    [NamespaceFact]
    public void The_pods_find_each_other_by_dns_name_form_one_cluster_over_mutual_tls_and_train_to_the_end_over_tcp()
    {
        var set = StatefulSet.Load();
        using var lab = new NetworkNamespaceLab(set.Replicas);
        lab.SetHostNames(set.Dns);
        using var temp = new TempDirectory();
        var pods = set.Materialise(temp.Path);
        // The run directory the ConfigMap names, on the mounted claim.
        string runDir = pods.Local(ActorTrainConfigLoader.Load(pods.ConfigFile, pods.Environments[0], []).Settings.Job.RunDir);

        using var nodes = new LabNodes(lab);
        for (int ordinal = 0; ordinal < set.Replicas; ordinal++)
            nodes.StartWith(ordinal, [.. pods.Args, "--verbose", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments(TinyJob.Sets(runDir, PodSteps, saveEvery: 3))],
                pods.Environments[ordinal], ownSharedMemory: true);

        var startup = TimeSpan.FromSeconds(150);
        for (int ordinal = 0; ordinal < set.Replicas; ordinal++)
            Assert.True(nodes.WaitForExit(ordinal, startup) == 0, nodes.AllOutput());

        nodes.WaitForLine(0, l => l.Contains($"started; seed nodes: akka.tcp://actortrain@{set.Dns(0)}:2552", StringComparison.Ordinal), TimeSpan.Zero, "pod 0 as its own seed");
        for (int ordinal = 0; ordinal < set.Replicas; ordinal++)
        {
            // Every ring link goes to the next pod by its DNS name, over TCP: each pod has its own /dev/shm.
            int next = (ordinal + 1) % set.Replicas;
            nodes.WaitForLine(ordinal, l => l.Contains($"rank {ordinal} sends to rank {next} at {set.Dns(next)} over Tcp", StringComparison.Ordinal), TimeSpan.Zero,
                $"its ring link to {set.Dns(next)} over TCP");
        }
        Assert.Equal(PodSteps, new CheckpointStore(runDir).LatestStep());
    }
}
