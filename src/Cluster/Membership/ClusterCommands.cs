using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Membership;

// Local commands to the cluster daemon, sent by the Cluster facade, and the daemon's own timer ticks.

/// <summary>Join the cluster that <paramref name="Seeds"/> belong to (the seed-node process); empty = form a cluster alone.</summary>
internal sealed record JoinSeedNodes(IReadOnlyList<Address> Seeds);

/// <summary>Register <paramref name="Subscriber"/> for events assignable to one of <paramref name="EventTypes"/>.</summary>
internal sealed record Subscribe(IActorRef Subscriber, IReadOnlyList<Type> EventTypes, bool InitialStateAsSnapshot);

/// <summary>Stop sending events to <paramref name="Subscriber"/>.</summary>
internal sealed record Unsubscribe(IActorRef Subscriber);

/// <summary>Timer ticks of the daemon.</summary>
internal enum DaemonTick
{
    Gossip,
    Heartbeat,
    Reap,
    JoinRetry,
    SeedNodeTimeout,
}

/// <summary>A heartbeat target that has not answered yet counts as heard once, so a node that never answers is detected.</summary>
internal sealed record ExpectedFirstHeartbeat(Remoting.UniqueAddress Node);
