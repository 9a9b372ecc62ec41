using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

// The membership events a subscriber can receive, kept together as one vocabulary (Akka's ClusterEvent).

/// <summary>Any event published to cluster subscribers.</summary>
public abstract record ClusterDomainEvent;

/// <summary>A member's status changed (or it appeared or disappeared).</summary>
/// <param name="Member">The member as it is after the change.</param>
public abstract record MemberEvent(Member Member) : ClusterDomainEvent;

/// <summary>A node joined and is <see cref="MemberStatus.Joining"/>.</summary>
public sealed record MemberJoined(Member Member) : MemberEvent(Member);

/// <summary>A member moved <see cref="MemberStatus.Up"/>.</summary>
public sealed record MemberUp(Member Member) : MemberEvent(Member);

/// <summary>A member is <see cref="MemberStatus.Leaving"/>.</summary>
public sealed record MemberLeft(Member Member) : MemberEvent(Member);

/// <summary>A member is <see cref="MemberStatus.Exiting"/>.</summary>
public sealed record MemberExited(Member Member) : MemberEvent(Member);

/// <summary>A member was marked <see cref="MemberStatus.Down"/>.</summary>
public sealed record MemberDowned(Member Member) : MemberEvent(Member);

/// <summary>A member was removed; <paramref name="PreviousStatus"/> tells whether it left (Exiting) or was downed (Down).</summary>
public sealed record MemberRemoved(Member Member, MemberStatus PreviousStatus) : MemberEvent(Member);

/// <summary>A reachability change of a member.</summary>
public abstract record ReachabilityEvent(Member Member) : ClusterDomainEvent;

/// <summary>The failure detector of some member suspects <paramref name="Member"/>.</summary>
public sealed record UnreachableMember(Member Member) : ReachabilityEvent(Member);

/// <summary><paramref name="Member"/> was unreachable and every observer sees it again.</summary>
public sealed record ReachableMember(Member Member) : ReachabilityEvent(Member);

/// <summary>The leader changed; null when there is none.</summary>
public sealed record LeaderChanged(UniqueAddress? Leader) : ClusterDomainEvent;

/// <summary>
/// Snapshot sent first to a new subscriber (when it asks for the initial state as a snapshot).
/// </summary>
/// <param name="Members">Members in address order.</param>
/// <param name="Unreachable">Members some node suspects.</param>
/// <param name="Leader">The current leader, if any.</param>
/// <param name="SeenBy">Nodes that have seen the current gossip.</param>
public sealed record CurrentClusterState(
    IReadOnlyList<Member> Members, IReadOnlyList<Member> Unreachable, UniqueAddress? Leader, IReadOnlyList<UniqueAddress> SeenBy)
    : ClusterDomainEvent
{
    /// <summary>The snapshot of <paramref name="state"/>.</summary>
    public static CurrentClusterState Of(MembershipState state)
    {
        var unreachable = state.Gossip.Reachability.AllUnreachable
            .Where(n => !n.Equals(state.Self))
            .Select(n => state.Gossip.Member(n)).OfType<Member>().ToList();
        return new CurrentClusterState(state.Gossip.Members.ToList(), unreachable, state.Leader, state.Gossip.Seen.ToList());
    }
}
