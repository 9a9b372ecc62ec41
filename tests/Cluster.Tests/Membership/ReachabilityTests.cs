using ActorTrain.Cluster.Membership;
using Xunit;
using static ActorTrain.Cluster.Tests.Membership.MembershipTestNodes;

namespace ActorTrain.Cluster.Tests.Membership;

public class ReachabilityTests
{
    private static readonly HashSet<ActorTrain.Cluster.Remoting.UniqueAddress> All = [A, B, C, D];

    [Fact]
    public void A_node_is_unreachable_while_any_observer_suspects_it()
    {
        var r = Reachability.Empty.Unreachable(A, C).Unreachable(B, C);
        Assert.False(r.IsReachable(C));
        Assert.False(r.Reachable(A, C).IsReachable(C));
        Assert.True(r.Reachable(A, C).Reachable(B, C).IsReachable(C));
        Assert.True(r.Reachable(A, C).Reachable(B, C).IsAllReachable);
    }

    [Fact]
    public void Merge_takes_each_observers_newest_row()
    {
        var older = Reachability.Empty.Unreachable(A, C);
        var newer = older.Reachable(A, C).Unreachable(B, D);
        var merged = older.Merge(All, newer);
        Assert.True(merged.IsReachable(C));
        Assert.False(merged.IsReachable(D));
        Assert.Equal(merged.Records, newer.Merge(All, older).Records);
    }

    [Fact]
    public void Merge_drops_records_about_nodes_no_longer_members()
    {
        var r = Reachability.Empty.Unreachable(A, C).Unreachable(A, D);
        var merged = r.Merge(new HashSet<ActorTrain.Cluster.Remoting.UniqueAddress> { A, B, C }, Reachability.Empty);
        Assert.Equal(new[] { C }, merged.AllUnreachable);
    }

    [Fact]
    public void Removed_observers_no_longer_count()
    {
        var r = Reachability.Empty.Unreachable(D, C);
        Assert.True(r.RemoveObservers([D]).IsReachable(C));
        Assert.True(r.Remove([C]).IsAllReachable);
    }
}
