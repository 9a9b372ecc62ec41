using ActorTrain.Cli.Commands;
using ActorTrain.Cli.Simulation;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed class TlsTests
{
    [Fact]
    public void A_node_with_a_certificate_of_the_cluster_CA_joins_and_one_from_another_CA_is_refused_and_gives_up()
    {
        using var temp = new TempDirectory();
        string cluster = Path.Combine(temp.Path, "cluster"), other = Path.Combine(temp.Path, "other");
        CertCommand.Run(cluster, ["seed", "member"], null, "pw", 2);
        CertCommand.Run(other, ["intruder"], null, "pw", 2);

        int[] ports = FreePorts.Take(4);
        string Address(int i) => $"akka.tcp://actortrain@127.0.0.1:{ports[i]}";
        string[] Sets(int i, string certificate, string ca) =>
        [
            "actortrain.cluster.hostname=127.0.0.1",
            $"actortrain.cluster.port={ports[i]}",
            $"actortrain.cluster.seed-nodes={Address(0)}",
            "actortrain.cluster.tls.enabled=on",
            $"actortrain.cluster.tls.certificate={certificate}",
            "actortrain.cluster.tls.password=pw",
            $"actortrain.cluster.tls.ca={ca}",
            "actortrain.cluster.max-refused-joins=3",
            $"actortrain.job.run-dir={Path.Combine(temp.Path, "run")}",
            .. TinyJob.FastDetector(),
        ];
        using var processes = new ActortrainProcesses();
        string[] Node(int i, string certificate, string ca) =>
            ["node", "--membership-only", "--verbose", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments(Sets(i, certificate, ca))];
        processes.Start("seed", Node(0, Path.Combine(cluster, "seed.pfx"), Path.Combine(cluster, "ca.pem")));
        processes.Start("member", Node(1, Path.Combine(cluster, "member.pfx"), Path.Combine(cluster, "ca.pem")));
        // The intruder trusts its own CA and presents its own certificate: the seed must refuse it (and it the seed).
        var intruder = processes.Start("intruder", Node(2, Path.Combine(other, "intruder.pfx"), Path.Combine(other, "ca.pem")));

        // With TLS, Akka's addresses read akka.ssl.tcp://.
        string Tls(int i) => $"akka.ssl.tcp://actortrain@127.0.0.1:{ports[i]}";
        processes.WaitForLine("seed", l => l.Contains($"member {Tls(1)} is Up"), TimeSpan.FromSeconds(40), "the member with a cluster certificate Up");
        int exit = processes.WaitForExit("intruder", intruder, TimeSpan.FromSeconds(60));
        Assert.True(exit != 0, processes.Output("intruder"));
        var error = processes.Lines("intruder").Single(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("could not join the cluster", error);
        Assert.Contains($"127.0.0.1:{ports[0]}", error);
        Assert.Contains("cluster CA", error);
        Assert.DoesNotContain(processes.Lines("seed"), l => l.Contains($"member {Tls(2)} is Up"));

        // A node without TLS cannot even speak to the seed: it gives up after max-refused-joins tries, saying so.
        var plain = processes.Start("plain", ["node", "--membership-only", "--parent-pid", Environment.ProcessId.ToString(), .. TinyJob.AsArguments(
        [
            "actortrain.cluster.hostname=127.0.0.1", $"actortrain.cluster.port={ports[3]}", $"actortrain.cluster.seed-nodes={Address(0)}",
            "actortrain.cluster.max-refused-joins=3", $"actortrain.job.run-dir={Path.Combine(temp.Path, "run")}", .. TinyJob.FastDetector(),
        ])]);
        Assert.True(processes.WaitForExit("plain", plain, TimeSpan.FromSeconds(60)) != 0, processes.Output("plain"));
        var refused = processes.Lines("plain").Single(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("refused this node 3 times", refused);
        Assert.Contains("actortrain.cluster.tls", refused);
        Assert.DoesNotContain(processes.Lines("seed"), l => l.Contains($"127.0.0.1:{ports[3]} is Up"));
    }
}
