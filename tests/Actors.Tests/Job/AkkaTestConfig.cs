using ActorTrain.Cluster.Node;
using AkkaConfiguration = Akka.Configuration.Config;

namespace ActorTrain.Actors.Tests.Job;

/// <summary>The config actor tests run with: reference.conf's akka section (our serializer bound), local provider,
/// and every message — local ones too — put through its serializer.</summary>
internal static class AkkaTestConfig
{
    public static AkkaConfiguration Local { get; } = AkkaConfig.Reference("""
        akka.actor.provider = local
        akka.actor.serialize-messages = on
        akka.loglevel = WARNING
        akka.test.single-expect-default = 15s
        akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
        """);
}
