using Xunit;

namespace ActorTrain.Cli.Tests.Config;

public sealed class NodeLocalRankTests
{
    [Fact]
    public void A_node_asked_to_host_one_local_rank_of_several_exits_1_saying_how_to_launch_instead()
    {
        using var dir = new TempDirectory();
        var result = CliRun.Run("node", "--set", "actortrain.job.nproc-per-node=2", "--set", "actortrain.job.local-rank=1",
            "--set", $"actortrain.job.run-dir={dir.Path}", "--set", "actortrain.cluster.port=0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: actortrain.job.local-rank = 1 (LOCAL_RANK)", result.Stderr.TrimStart());
        Assert.Contains("one `actortrain node` per machine", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "logs")), "the node started before it refused");
    }
}
