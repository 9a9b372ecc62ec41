using ActorTrain.Cluster.Membership;
using ActorTrain.Cluster.Remoting;
using Xunit;
using static ActorTrain.Cluster.Tests.Membership.MembershipTestNodes;

namespace ActorTrain.Cluster.Tests.Membership;

public class MembershipStateTests
{
    private static MembershipState State(UniqueAddress self, Gossip gossip) => new(self, gossip);

    [Fact]
    public void First_node_joining_itself_becomes_leader_and_moves_itself_up()
    {
        var empty = State(A, Gossip.Empty);
        var joined = empty.Join(A, ["trainer"]);
        Assert.Equal(MemberStatus.Joining, joined.SelfMember!.Status);
        var up = joined.LeaderActions(minNrOfMembers: 1, nowTicks: 0);
        Assert.Equal(MemberStatus.Up, up.SelfMember!.Status);
        Assert.Equal(1, up.SelfMember.UpNumber);
        Assert.Equal(["trainer"], up.SelfMember.Roles);

        var events = ClusterEventDiff.Diff(empty, joined).Concat(ClusterEventDiff.Diff(joined, up)).ToList();
        Assert.Collection(events,
            e => Assert.IsType<MemberJoined>(e),
            e => Assert.Equal(A, Assert.IsType<LeaderChanged>(e).Leader),
            e => Assert.IsType<MemberUp>(e));
    }

    [Fact]
    public void Joining_members_wait_for_min_nr_of_members_then_move_up_in_address_order()
    {
        var two = State(A, GossipOf(M(B, MemberStatus.Joining), M(A, MemberStatus.Joining)).SeenByAll());
        Assert.Same(two, two.LeaderActions(minNrOfMembers: 3, nowTicks: 0));
        var three = two.Join(C, []).WithGossip(two.Join(C, []).Gossip.SeenByAll());
        var up = three.LeaderActions(3, 0);
        Assert.Equal(new[] { (MemberStatus.Up, 1), (MemberStatus.Up, 2), (MemberStatus.Up, 3) },
            up.Gossip.Members.Select(m => (m.Status, m.UpNumber)));
    }

    [Fact]
    public void Leader_is_the_first_up_member_by_address_even_when_a_joining_member_sorts_first()
    {
        var state = State(C, GossipOf(M(A, MemberStatus.Joining), M(B, MemberStatus.Up, 1), M(C, MemberStatus.Up, 2)));
        Assert.Equal(B, state.Leader);
        Assert.Equal(A, State(B, GossipOf(M(A, MemberStatus.Joining), M(B, MemberStatus.Joining))).Leader);
    }

    [Fact]
    public void Unreachable_and_down_members_cannot_be_leader()
    {
        var gossip = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2), M(C, MemberStatus.Up, 3));
        var unreachableA = gossip.WithReachability(gossip.Reachability.Unreachable(B, A));
        Assert.Equal(B, State(C, unreachableA).Leader);
        Assert.Equal(A, State(A, unreachableA).Leader); // self always counts as reachable to itself
        Assert.Equal(B, State(C, gossip.WithMember(M(A, MemberStatus.Down, 1))).Leader);
    }

    [Fact]
    public void Convergence_needs_every_up_member_to_have_seen_the_version_but_not_joining_ones()
    {
        var gossip = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2), M(C, MemberStatus.Joining));
        Assert.False(State(A, gossip.MarkSeen(A)).Convergence);
        Assert.True(State(A, gossip.MarkSeen(A).MarkSeen(B)).Convergence);
    }

    [Fact]
    public void Unreachable_member_blocks_convergence_until_it_is_down()
    {
        var gossip = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2), M(C, MemberStatus.Up, 3)).SeenByAll();
        var unreachable = gossip.WithReachability(gossip.Reachability.Unreachable(A, C));
        Assert.False(State(A, unreachable).Convergence);
        var downed = State(A, unreachable).Down(C);
        var seen = downed.WithGossip(downed.Gossip.MarkSeen(B).MarkSeen(C));
        Assert.True(seen.Convergence);
        var removed = seen.LeaderActions(1, 42);
        Assert.False(removed.Gossip.HasMember(C));
        Assert.Equal(42, removed.Gossip.Tombstones[C]);
        var removal = Assert.Single(ClusterEventDiff.Diff(seen, removed).OfType<MemberRemoved>());
        Assert.Equal(MemberStatus.Down, removal.PreviousStatus);
        Assert.Equal(MemberStatus.Removed, removal.Member.Status);
    }

    [Fact]
    public void Graceful_leave_goes_leaving_exiting_removed_over_two_converged_leader_rounds()
    {
        var start = State(A, GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2)).SeenByAll());
        var leaving = start.Leave(B);
        Assert.Equal(MemberStatus.Leaving, leaving.Gossip.Member(B)!.Status);
        Assert.Same(leaving, leaving.LeaderActions(1, 0)); // B has not seen Leaving yet: no convergence
        var seen = leaving.WithGossip(leaving.Gossip.MarkSeen(B));
        var exiting = seen.LeaderActions(1, 0);
        Assert.Equal(MemberStatus.Exiting, exiting.Gossip.Member(B)!.Status);
        var removed = exiting.LeaderActions(1, 7); // Exiting members need no seen entry
        Assert.False(removed.Gossip.HasMember(B));
        Assert.Collection(ClusterEventDiff.Diff(start, leaving), e => Assert.IsType<MemberLeft>(e));
        Assert.Collection(ClusterEventDiff.Diff(seen, exiting), e => Assert.IsType<MemberExited>(e));
        Assert.Equal(MemberStatus.Exiting, Assert.IsType<MemberRemoved>(Assert.Single(ClusterEventDiff.Diff(exiting, removed))).PreviousStatus);
    }

    [Fact]
    public void Reachability_changes_publish_unreachable_and_reachable_events()
    {
        var start = State(A, GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2)).SeenByAll());
        var lost = start.UpdateReachability([B], []);
        var back = lost.UpdateReachability([], [B]);
        Assert.Equal(B, Assert.IsType<UnreachableMember>(Assert.Single(ClusterEventDiff.Diff(start, lost))).Member.UniqueAddress);
        Assert.Equal(B, Assert.IsType<ReachableMember>(Assert.Single(ClusterEventDiff.Diff(lost, back))).Member.UniqueAddress);
        Assert.Same(back, back.UpdateReachability([], [B]));
    }

    [Fact]
    public void Received_gossip_newer_is_adopted_older_kept_concurrent_merged()
    {
        var baseGossip = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2)).Increment(A);
        var atB = State(B, baseGossip.MarkSeen(B));
        var newer = State(A, baseGossip).Join(C, []).Gossip;

        var adopted = atB.ReceiveGossip(newer, A, out var outcome, out bool talkBack);
        Assert.Equal(GossipReceiveOutcome.Newer, outcome);
        Assert.True(talkBack);
        Assert.True(adopted.Gossip.HasMember(C));
        Assert.True(adopted.Gossip.SeenBy(B));

        var kept = adopted.ReceiveGossip(baseGossip, A, out outcome, out talkBack);
        Assert.Equal(GossipReceiveOutcome.Older, outcome);
        Assert.True(talkBack);
        Assert.True(kept.Gossip.HasMember(C));

        var concurrentAtB = atB.Leave(B);
        var merged = concurrentAtB.ReceiveGossip(newer, A, out outcome, out _);
        Assert.Equal(GossipReceiveOutcome.Merged, outcome);
        Assert.True(merged.Gossip.HasMember(C));
        Assert.Equal(MemberStatus.Leaving, merged.Gossip.Member(B)!.Status);
    }

    [Fact]
    public void Gossip_from_a_stranger_or_without_self_is_ignored()
    {
        var atB = State(B, GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2)));
        var strangerGossip = GossipOf(M(B, MemberStatus.Up, 2), M(D, MemberStatus.Up, 1)).Increment(D);
        Assert.Same(atB, atB.ReceiveGossip(strangerGossip, D, out var outcome, out _));
        Assert.Equal(GossipReceiveOutcome.Ignored, outcome);
        Assert.Same(atB, atB.ReceiveGossip(GossipOf(M(A, MemberStatus.Up, 1)).Increment(A), A, out outcome, out _));
        Assert.Equal(GossipReceiveOutcome.Ignored, outcome);
    }

    [Fact]
    public void Rejoin_of_a_restarted_node_downs_its_previous_incarnation()
    {
        var state = State(A, GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Up, 2)).SeenByAll());
        var restartedB = Node(2552, uid: 99);
        var rejoined = state.Join(restartedB, []);
        Assert.Equal(MemberStatus.Down, rejoined.Gossip.Member(B)!.Status);
        Assert.Equal(MemberStatus.Joining, rejoined.Gossip.Member(restartedB)!.Status);
    }

    /// <summary>
    /// Four nodes join through seed A and gossip with random peers; leaders act every round. Whatever the order, every node
    /// ends with all four Up, the same up numbers and the same leader.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_gossip_rounds_converge_every_node_to_the_same_all_up_view(int seed)
    {
        var random = new Random(seed);
        UniqueAddress[] nodes = [D, B, A, C];
        var states = new Dictionary<UniqueAddress, MembershipState> { [A] = State(A, Gossip.Empty).Join(A, []) };
        foreach (var joiner in nodes.Where(n => n != A))
        {
            // Join at the seed, then the joiner adopts the seed's gossip (Welcome).
            states[A] = states[A].Join(joiner, []);
            states[joiner] = State(joiner, states[A].Gossip.MarkSeen(joiner));
        }
        for (int round = 0; round < 200; round++)
        {
            foreach (var node in states.Keys.ToList()) states[node] = states[node].LeaderActions(4, round);
            var from = nodes[random.Next(nodes.Length)];
            var to = nodes[random.Next(nodes.Length)];
            if (from == to) continue;
            states[to] = states[to].ReceiveGossip(states[from].Gossip, from, out _, out bool talkBack);
            if (talkBack) states[from] = states[from].ReceiveGossip(states[to].Gossip, to, out _, out _);
        }
        var views = states.Values.Select(s => string.Join(",", s.Gossip.Members.Select(m => $"{m.Address.Port}:{m.Status}:{m.UpNumber}"))).Distinct().ToList();
        Assert.Equal("2551:Up:1,2552:Up:2,2553:Up:3,2554:Up:4", Assert.Single(views));
        Assert.All(states.Values, s => Assert.Equal(A, s.Leader));
    }
}
