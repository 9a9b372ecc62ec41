using ActorTrain.Cluster.Membership;
using Xunit;
using static ActorTrain.Cluster.Tests.Membership.MembershipTestNodes;

namespace ActorTrain.Cluster.Tests.Membership;

public class MemberStatusTests
{
    [Theory]
    [InlineData(MemberStatus.Joining, MemberStatus.Up)]
    [InlineData(MemberStatus.Joining, MemberStatus.Leaving)]
    [InlineData(MemberStatus.Joining, MemberStatus.Down)]
    [InlineData(MemberStatus.Up, MemberStatus.Leaving)]
    [InlineData(MemberStatus.Up, MemberStatus.Down)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Exiting)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Down)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Removed)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Down)]
    [InlineData(MemberStatus.Down, MemberStatus.Removed)]
    public void Akka_transitions_are_allowed(MemberStatus from, MemberStatus to) =>
        Assert.Equal(to, M(A, from, 1).WithStatus(to).Status);

    [Theory]
    [InlineData(MemberStatus.Up, MemberStatus.Joining)]
    [InlineData(MemberStatus.Leaving, MemberStatus.Up)]
    [InlineData(MemberStatus.Exiting, MemberStatus.Leaving)]
    [InlineData(MemberStatus.Down, MemberStatus.Up)]
    [InlineData(MemberStatus.Removed, MemberStatus.Joining)]
    [InlineData(MemberStatus.Joining, MemberStatus.Exiting)]
    public void Illegal_transition_names_member_and_both_states(MemberStatus from, MemberStatus to)
    {
        var e = Assert.Throws<InvalidOperationException>(() => M(A, from, 1).WithStatus(to));
        Assert.Contains($"from {from} to {to}", e.Message);
        Assert.Contains("127.0.0.1:2551", e.Message);
    }

    [Fact]
    public void Highest_priority_prefers_the_later_status_and_then_the_older_member()
    {
        Assert.Equal(MemberStatus.Down, Member.HighestPriorityOf(M(A, MemberStatus.Up, 1), M(A, MemberStatus.Down, 1)).Status);
        Assert.Equal(MemberStatus.Up, Member.HighestPriorityOf(M(A, MemberStatus.Joining), M(A, MemberStatus.Up, 3)).Status);
        Assert.Equal(2, Member.HighestPriorityOf(M(A, MemberStatus.Up, 5), M(A, MemberStatus.Up, 2)).UpNumber);
    }

    [Fact]
    public void Members_sort_by_host_then_port_not_by_text()
    {
        var ordered = new[] { Node(10000), Node(9000), Node(2552) }.Order(AddressOrdering.Instance).Select(n => n.Address.Port).ToArray();
        Assert.Equal(new int?[] { 2552, 9000, 10000 }, ordered);
    }
}
