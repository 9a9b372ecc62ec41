using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

[Collection(MultiProcessCollection.Name)]
public sealed partial class GarbageAtPortTests
{
    [Fact]
    public void A_megabyte_of_random_bytes_at_every_nodes_Akka_port_leaves_the_job_training_to_the_end()
    {
        using var temp = new TempDirectory();
        using var processes = new ActortrainProcesses();
        string runDir = Path.Combine(temp.Path, "run");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 40, saveEvery: 0))]);
        var ports = new List<int>();
        for (int i = 0; i < 2; i++)
        {
            var line = processes.WaitForLine("simulate", l => l.StartsWith($"simulate: node-{i}: pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(30), $"node-{i}'s address");
            ports.Add(int.Parse(PortOf().Match(line).Groups["port"].Value));
        }
        processes.WaitForLine("simulate", l => l.StartsWith("step 2/", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "step 2");

        foreach (int port in ports)
            for (int connection = 0; connection < 4; connection++)
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                try { client.GetStream().Write(RandomNumberGenerator.GetBytes(256 * 1024)); }
                catch (IOException) { /* the node may close the connection early: that is what it should do */ }
            }

        int exit = processes.WaitForExit("simulate", simulate, TimeSpan.FromSeconds(120));
        string output = processes.Output("simulate");
        Assert.True(exit == 0, output);
        Assert.Contains(processes.Lines("simulate"), l => l.StartsWith("done @ step 40", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"akka\.tcp://\S+?:(?<port>\d+)")]
    private static partial Regex PortOf();
}
