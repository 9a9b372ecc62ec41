using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

// The membership protocol between cluster daemons (Akka.Cluster's InitJoin/Join/Welcome, gossip and heartbeats).
// They travel between /system/cluster actors; ids come from ReservedTypeIds.FirstClusterId upwards.

/// <summary>A joining node asks a seed whether it is part of a cluster.</summary>
internal sealed record InitJoin(string SystemName);

/// <summary>The seed is a member and accepts joins at <paramref name="Address"/>.</summary>
internal sealed record InitJoinAck(UniqueAddress Address);

/// <summary>The seed is not (yet) a member of a cluster.</summary>
internal sealed record InitJoinNack(UniqueAddress Address);

/// <summary>A node asks to become a member.</summary>
internal sealed record Join(UniqueAddress Node, IReadOnlyList<string> Roles);

/// <summary>The joiner's answer: it is a member, here is the gossip.</summary>
internal sealed record Welcome(UniqueAddress From, Gossip Gossip);

/// <summary>Membership gossip from one node to another.</summary>
internal sealed record GossipEnvelope(UniqueAddress From, UniqueAddress To, Gossip Gossip);

/// <summary>Failure-detector heartbeat.</summary>
internal sealed record Heartbeat(UniqueAddress From);

/// <summary>Answer to a <see cref="Heartbeat"/>; its arrival feeds the sender's failure detector.</summary>
internal sealed record HeartbeatResponse(UniqueAddress From);

/// <summary>A user asks that the member at <paramref name="Address"/> leave gracefully (may come from another node).</summary>
internal sealed record LeaveRequest(string Address);

/// <summary>A user declares the member at <paramref name="Address"/> down (may come from another node).</summary>
internal sealed record DownRequest(string Address);
