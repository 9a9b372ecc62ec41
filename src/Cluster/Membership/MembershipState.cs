using System.Collections.Immutable;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// A node's view of the cluster — the latest gossip plus who "self" is — and every membership rule as a pure
/// function: leader, convergence, leader actions, receiving gossip, join/leave/down, reachability changes.
/// The cluster daemon owns one of these and only moves it forward through these methods.
/// </summary>
public sealed class MembershipState
{
    /// <summary>Creates the state of <paramref name="self"/> with <paramref name="gossip"/>.</summary>
    public MembershipState(UniqueAddress self, Gossip gossip)
    {
        Self = self;
        Gossip = gossip;
    }

    /// <summary>This node.</summary>
    public UniqueAddress Self { get; }

    /// <summary>The latest gossip.</summary>
    public Gossip Gossip { get; }

    /// <summary>This node's member record, if it is a member.</summary>
    public Member? SelfMember => Gossip.Member(Self);

    /// <summary>
    /// Akka's leader rule: among members that are not Down and are reachable (or self), the first in address order
    /// whose status is Up or Leaving; when there is none, the first of them in address order with Down/Exiting last.
    /// </summary>
    public UniqueAddress? Leader
    {
        get
        {
            Reachability reachability = Gossip.Reachability;
            bool allReachable = reachability.IsAllReachable;
            var candidates = Gossip.Members
                .Where(m => m.Status != MemberStatus.Down && (allReachable || m.UniqueAddress.Equals(Self) || reachability.IsReachable(m.UniqueAddress)))
                .ToList();
            if (candidates.Count == 0) return null;
            Member? leader = candidates.FirstOrDefault(m => m.Status is MemberStatus.Up or MemberStatus.Leaving)
                ?? candidates.FirstOrDefault(m => m.Status != MemberStatus.Exiting)
                ?? candidates[0];
            return leader.UniqueAddress;
        }
    }

    /// <summary>True when this node is the leader.</summary>
    public bool IsLeader => Self.Equals(Leader);

    /// <summary>
    /// Akka's convergence: every unreachable member (as seen by non-Down observers, ignoring self) is Down or Exiting, and
    /// every Up/Leaving member has seen the current version.
    /// </summary>
    public bool Convergence
    {
        get
        {
            foreach (UniqueAddress node in Gossip.ReachabilityExcludingDownedObservers.AllUnreachable)
            {
                if (node.Equals(Self)) continue;
                Member? member = Gossip.Member(node);
                if (member is not null && member.Status is not (MemberStatus.Down or MemberStatus.Exiting)) return false;
            }
            return Gossip.Members.All(m => m.Status is not (MemberStatus.Up or MemberStatus.Leaving) || Gossip.SeenBy(m.UniqueAddress));
        }
    }

    /// <summary>The member with the highest up number (the youngest Up member), or null when none is Up.</summary>
    public Member? YoungestMember =>
        Gossip.Members.Where(m => m.UpNumber != Member.NotUp).MaxBy(m => m.UpNumber);

    /// <summary>Members whose status is <see cref="MemberStatus.Up"/>.</summary>
    public int UpCount => Gossip.Members.Count(m => m.Status == MemberStatus.Up);

    /// <summary>The state with a new gossip changed by this node: version stamped by self, seen by self only.</summary>
    public MembershipState WithLocalChange(Gossip changed) => new(Self, changed.Increment(Self).OnlySeen(Self));

    /// <summary>The state with <paramref name="gossip"/> as is.</summary>
    public MembershipState WithGossip(Gossip gossip) => new(Self, gossip);

    /// <summary>
    /// A node asks to join: it becomes a Joining member (no change if it is a member already). A previous incarnation of the
    /// same address (another uid) is downed first, as Akka does, so the leader removes it.
    /// </summary>
    public MembershipState Join(UniqueAddress node, IEnumerable<string> roles)
    {
        if (Gossip.HasMember(node)) return this;
        Gossip gossip = Gossip;
        foreach (Member previous in gossip.Members.Where(m => m.Address.Equals(node.Address) && m.Status != MemberStatus.Down))
            gossip = gossip.WithMember(previous.WithStatus(MemberStatus.Down));
        return WithLocalChange(gossip.WithMember(Member.Joining(node, roles)));
    }

    /// <summary>Moves <paramref name="node"/> to Leaving (no change when it is already further along or not a member).</summary>
    public MembershipState Leave(UniqueAddress node)
    {
        Member? member = Gossip.Member(node);
        if (member is null || !MemberStatusTransitions.IsAllowed(member.Status, MemberStatus.Leaving)) return this;
        return WithLocalChange(Gossip.WithMember(member.WithStatus(MemberStatus.Leaving)));
    }

    /// <summary>Marks <paramref name="node"/> Down (no change when it is not a member or already Down).</summary>
    public MembershipState Down(UniqueAddress node)
    {
        Member? member = Gossip.Member(node);
        if (member is null || !MemberStatusTransitions.IsAllowed(member.Status, MemberStatus.Down)) return this;
        return WithLocalChange(Gossip.WithMember(member.WithStatus(MemberStatus.Down)));
    }

    /// <summary>Records what this node's failure detector says about the other members.</summary>
    public MembershipState UpdateReachability(IEnumerable<UniqueAddress> unreachable, IEnumerable<UniqueAddress> reachable)
    {
        Reachability table = Gossip.Reachability;
        foreach (UniqueAddress node in unreachable)
            if (!node.Equals(Self) && Gossip.HasMember(node)) table = table.Unreachable(Self, node);
        foreach (UniqueAddress node in reachable)
            if (!node.Equals(Self) && Gossip.HasMember(node)) table = table.Reachable(Self, node);
        return ReferenceEquals(table, Gossip.Reachability) ? this : WithLocalChange(Gossip.WithReachability(table));
    }

    /// <summary>
    /// Applies a gossip received from <paramref name="from"/> (Akka's receiveGossip): same version merges seen sets, a newer one
    /// is adopted, an older one ignored, a concurrent one merged; the result is marked seen by self.
    /// <paramref name="talkBack"/> tells whether the sender should get our gossip back.
    /// </summary>
    public MembershipState ReceiveGossip(Gossip remote, UniqueAddress from, out GossipReceiveOutcome outcome, out bool talkBack)
    {
        talkBack = false;
        outcome = GossipReceiveOutcome.Ignored;
        if (!remote.HasMember(Self)) return this;
        if (Gossip.Members.Count > 0 && !Gossip.HasMember(from)) return this;
        if (!Gossip.Reachability.IsReachable(from) && Gossip.Reachability.ObserversOf(from).Contains(Self)) return this;

        Gossip winner;
        switch (remote.Version.CompareTo(Gossip.Version))
        {
            case VectorClockOrdering.Same:
                winner = remote.MergeSeen(Gossip);
                talkBack = !remote.SeenBy(Self);
                outcome = GossipReceiveOutcome.Same;
                break;
            case VectorClockOrdering.Before:
                winner = Gossip;
                talkBack = true;
                outcome = GossipReceiveOutcome.Older;
                break;
            case VectorClockOrdering.After:
                winner = remote;
                talkBack = !remote.SeenBy(Self);
                outcome = GossipReceiveOutcome.Newer;
                break;
            default:
                // A node Down/Exiting on one side and missing on the other was removed there: prune its clock entry here too.
                Gossip local = Gossip.Members
                    .Where(m => m.Status is MemberStatus.Down or MemberStatus.Exiting && !remote.HasMember(m.UniqueAddress))
                    .Aggregate(Gossip, (g, m) => g.Prune(m.UniqueAddress));
                Gossip other = remote.Members
                    .Where(m => m.Status is MemberStatus.Down or MemberStatus.Exiting && !Gossip.HasMember(m.UniqueAddress))
                    .Aggregate(remote, (g, m) => g.Prune(m.UniqueAddress));
                winner = other.Merge(local);
                talkBack = true;
                outcome = GossipReceiveOutcome.Merged;
                break;
        }
        return new MembershipState(Self, winner.MarkSeen(Self));
    }

    /// <summary>
    /// The leader's duties, done only by the leader and only on convergence (Akka's leaderActionsOnConvergence):
    /// Down and Exiting members are removed (tombstoned); when at least <paramref name="minNrOfMembers"/> nodes are members,
    /// Joining members move Up with increasing up numbers in address order; Leaving members move to Exiting.
    /// Returns this state unchanged when there is nothing to do.
    /// </summary>
    public MembershipState LeaderActions(int minNrOfMembers, long nowTicks)
    {
        if (!IsLeader || !Convergence) return this;
        Gossip gossip = Gossip;
        bool changed = false;
        foreach (Member gone in Gossip.Members.Where(m => m.Status is MemberStatus.Down or MemberStatus.Exiting))
        {
            gossip = gossip.Remove(gone.UniqueAddress, nowTicks);
            changed = true;
        }
        bool enoughMembers = Gossip.Members.Count >= minNrOfMembers;
        int upNumber = 0;
        foreach (Member member in Gossip.Members)
        {
            if (member.Status == MemberStatus.Joining && enoughMembers)
            {
                if (upNumber == 0)
                {
                    Member? youngest = YoungestMember;
                    upNumber = 1 + (youngest is null ? 0 : youngest.UpNumber);
                }
                else
                {
                    upNumber++;
                }
                gossip = gossip.WithMember(member.WithUp(upNumber));
                changed = true;
            }
            else if (member.Status == MemberStatus.Leaving)
            {
                gossip = gossip.WithMember(member.WithStatus(MemberStatus.Exiting));
                changed = true;
            }
        }
        return changed ? WithLocalChange(gossip) : this;
    }

    /// <summary>The members (not self) that gossip should be sent to: everyone but Removed.</summary>
    public ImmutableArray<UniqueAddress> GossipTargets =>
        Gossip.Members.Where(m => !m.UniqueAddress.Equals(Self)).Select(m => m.UniqueAddress).ToImmutableArray();
}
