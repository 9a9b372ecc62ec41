using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Node;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Cluster.Tests.Node;

public sealed class AkkaConfigTests
{
    private static Config Effective(string user) =>
        ConfigFactory.ParseString(user, "user.conf").WithFallback(ReferenceConfig.Load()).Resolve(new Dictionary<string, string>());

    [Fact]
    public void Akka_reads_the_values_our_reader_resolved_from_the_actortrain_keys()
    {
        var akka = AkkaConfig.From(Effective("""
            actortrain.cluster { port = 4711, hostname = "10.1.2.3", seed-nodes = ["akka.tcp://actortrain@10.1.2.3:4711"] }
            actortrain.cluster.failure-detector.acceptable-heartbeat-pause = 2500ms
            """));
        Assert.Equal("cluster", akka.GetString("akka.actor.provider"));
        Assert.Equal(4711, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("10.1.2.3", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(new[] { "akka.tcp://actortrain@10.1.2.3:4711" }, akka.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), akka.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(4L << 20, akka.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal("down-all", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("job", akka.GetString("akka.cluster.singleton-proxy.singleton-name"));
    }

    [Fact]
    public void Akka_keys_of_the_user_pass_through_and_quoted_keys_stay_one_path_element()
    {
        var akka = AkkaConfig.From(Effective("akka.loglevel = DEBUG"));
        Assert.Equal("DEBUG", akka.GetString("akka.loglevel"));
        var bindings = akka.GetConfig("akka.actor.serialization-bindings");
        Assert.Equal("actortrain-msgpack", bindings.GetString("\"ActorTrain.Cluster.Serialization.IMessageContract, ActorTrain.Cluster\""));
    }

    [Fact]
    public void The_json_handed_to_Akka_is_only_the_akka_section()
    {
        string json = AkkaConfig.Json(Effective(""));
        Assert.StartsWith("{\"akka\":{", json);
        Assert.DoesNotContain("\"actortrain\"", json);
        Assert.Throws<ArgumentException>(() => AkkaConfig.From(ConfigFactory.ParseString("a = 1").Resolve(new Dictionary<string, string>())));
    }
}
