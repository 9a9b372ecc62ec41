using ActorTrain.Cluster.Membership;
using ActorTrain.Cluster.Remoting;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static ActorTrain.Cluster.Tests.Membership.MembershipTestNodes;

namespace ActorTrain.Cluster.Tests.Membership;

public class GossipMergeTests
{
    private static readonly UniqueAddress[] Pool = [A, B, C, D];

    private static readonly Gen<Gossip> Gossips =
        from statuses in Gen.ArrayOf(Gen.Elements(-1, 0, 1, 2, 3, 4), 4)
        from ups in Gen.ArrayOf(Gen.Choose(1, 5), 4)
        from clock in Gen.ListOf(Gen.Elements(Pool))
        from unreachable in Gen.ListOf(Gen.Two(Gen.Elements(Pool)))
        from tomb in Gen.Elements(-1, 0, 1, 2, 3)
        select Build(statuses, ups, clock, unreachable, tomb);

    private static Gossip Build(int[] statuses, int[] ups, IEnumerable<UniqueAddress> clock, IEnumerable<(UniqueAddress, UniqueAddress)> unreachable, int tomb)
    {
        var gossip = Gossip.Empty;
        for (int i = 0; i < Pool.Length; i++)
            if (statuses[i] >= 0) gossip = gossip.WithMember(M(Pool[i], (MemberStatus)statuses[i], ups[i]));
        gossip = clock.Aggregate(gossip, (g, n) => g.Increment(n));
        var reach = gossip.Reachability;
        foreach (var (observer, subject) in unreachable)
            if (gossip.HasMember(observer) && gossip.HasMember(subject) && !observer.Equals(subject)) reach = reach.Unreachable(observer, subject);
        gossip = gossip.WithReachability(reach);
        return tomb >= 0 ? gossip.Remove(Pool[tomb], 1000) : gossip;
    }

    private static string Describe(Gossip g) =>
        string.Join(";", g.Members.Select(m => $"{m.UniqueAddress}:{m.Status}:{m.UpNumber}")) + "|" + g.Version + "|" +
        string.Join(";", g.Reachability.Records.Select(r => $"{r.Observer}>{r.Subject}:{r.Status}")) + "|" +
        string.Join(";", g.Tombstones.Keys);

    [Fact]
    public void Merge_is_commutative() =>
        Prop.ForAll(Arb.From(Gossips), Arb.From(Gossips), (x, y) => Describe(x.Merge(y)) == Describe(y.Merge(x)))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Merge_never_resurrects_a_tombstoned_node() =>
        Prop.ForAll(Arb.From(Gossips), Arb.From(Gossips), (x, y) =>
        {
            var merged = x.Merge(y);
            return merged.Tombstones.Keys.All(t => !merged.HasMember(t) && !merged.Version.Versions.ContainsKey(Gossip.ClockNode(t)));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Merge_keeps_the_status_furthest_along_and_resets_seen()
    {
        var left = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Joining)).SeenByAll();
        var right = GossipOf(M(A, MemberStatus.Leaving, 1), M(B, MemberStatus.Up, 2), M(C, MemberStatus.Joining)).SeenByAll();
        var merged = left.Merge(right);
        Assert.Equal(new[] { MemberStatus.Leaving, MemberStatus.Up, MemberStatus.Joining }, merged.Members.Select(m => m.Status));
        Assert.Empty(merged.Seen);
    }

    [Fact]
    public void Down_member_known_to_one_side_only_was_removed_by_the_other()
    {
        var left = GossipOf(M(A, MemberStatus.Up, 1), M(B, MemberStatus.Down, 2));
        var right = GossipOf(M(A, MemberStatus.Up, 1));
        Assert.False(left.Merge(right).HasMember(B));
    }
}
