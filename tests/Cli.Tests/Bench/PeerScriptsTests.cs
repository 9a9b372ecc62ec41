using ActorTrain.Cli.Bench;
using Xunit;

namespace ActorTrain.Cli.Tests.Bench;

public sealed class PeerScriptsTests
{
    [Fact]
    public void The_gloo_peer_is_the_repository_copy_next_to_the_executable()
    {
        string path = PeerScripts.Locate("gloo_allreduce_bench.py");
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "peers", "gloo_allreduce_bench.py"), path);
        Assert.Contains("dist.all_reduce", File.ReadAllText(path));
    }
}
