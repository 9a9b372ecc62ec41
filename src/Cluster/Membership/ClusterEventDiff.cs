using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// Derives the events subscribers see from two consecutive states (Akka's ClusterEvent.diff*): removals, then
/// status changes, then unreachable, then reachable-again, then a leader change.
/// </summary>
public static class ClusterEventDiff
{
    /// <summary>Every event between <paramref name="before"/> and <paramref name="after"/>, in publication order.</summary>
    public static IReadOnlyList<ClusterDomainEvent> Diff(MembershipState before, MembershipState after)
    {
        var events = new List<ClusterDomainEvent>();
        if (ReferenceEquals(before.Gossip, after.Gossip)) return events;
        Gossip old = before.Gossip, now = after.Gossip;

        foreach (Member removed in old.Members.Where(m => !now.HasMember(m.UniqueAddress)))
            events.Add(new MemberRemoved(Member.FromWire(removed.UniqueAddress, MemberStatus.Removed, removed.Roles, removed.UpNumber), removed.Status));

        foreach (Member member in now.Members)
        {
            Member? previous = old.Member(member.UniqueAddress);
            if (previous is not null && previous.Status == member.Status && previous.UpNumber == member.UpNumber) continue;
            ClusterDomainEvent? e = member.Status switch
            {
                MemberStatus.Joining => new MemberJoined(member),
                MemberStatus.Up => new MemberUp(member),
                MemberStatus.Leaving => new MemberLeft(member),
                MemberStatus.Exiting => new MemberExited(member),
                MemberStatus.Down => new MemberDowned(member),
                _ => null,
            };
            if (e is not null) events.Add(e);
        }

        var oldUnreachable = old.Reachability.AllUnreachable;
        var newUnreachable = now.Reachability.AllUnreachable;
        foreach (UniqueAddress node in newUnreachable)
        {
            if (oldUnreachable.Contains(node) || node.Equals(after.Self)) continue;
            if (now.Member(node) is { } member) events.Add(new UnreachableMember(member));
        }
        foreach (UniqueAddress node in oldUnreachable)
        {
            if (newUnreachable.Contains(node) || node.Equals(after.Self)) continue;
            if (now.Member(node) is { } member) events.Add(new ReachableMember(member));
        }

        UniqueAddress? oldLeader = before.Leader, newLeader = after.Leader;
        if (!Equals(oldLeader, newLeader)) events.Add(new LeaderChanged(newLeader));
        return events;
    }
}
