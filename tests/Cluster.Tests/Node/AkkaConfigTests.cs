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

public sealed class AkkaKeyCheckerTests
{
    [Fact]
    public void A_mistyped_akka_key_is_named_with_its_file_line_and_the_nearest_known_key()
    {
        var user = ConfigFactory.ParseString("akka {\n  cluster.sed-nodes = []\n  loglevel = DEBUG\n  remote.dot-netty.tcp.batching.enabled = off\n}", "user.conf");
        var warnings = AkkaKeyChecker.Check(user);
        var warning = Assert.Single(warnings);
        Assert.Contains("'akka.cluster.sed-nodes'", warning);
        Assert.Contains("user.conf:2", warning);
        Assert.Contains("did you mean 'akka.cluster.seed-nodes'", warning);
    }

    [Fact]
    public void Keys_inside_Akkas_open_maps_and_outside_akka_are_not_checked()
    {
        var user = ConfigFactory.ParseString("""
            akka.actor.deployment { "/user/anything" { router = round-robin-pool } }
            akka.actor.serializers { mine = "My.Serializer, Mine" }
            other-tool.setting = 1
            """);
        Assert.Empty(AkkaKeyChecker.Check(user));
    }
}

public sealed class ReferenceAkkaSectionTests
{
    [Fact]
    public void Every_akka_key_reference_conf_sets_is_one_Akka_reads()
    {
        Assert.Empty(AkkaKeyChecker.Check(ReferenceConfig.Load(), akkaOnly: true));
    }
}
