using ActorTrain.Actors.Job;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrain.Actors.Tests.Job;

public sealed class JobCoordinatorTests() : TestKit(AkkaTestConfig.Local)
{
    private static RegisterNode Node(int port, int nodeRank = -1, int ranks = 2) =>
        new($"akka.tcp://actortrain@127.0.0.1:{port}", nodeRank, "127.0.0.1", "m", [.. Enumerable.Range(0, ranks).Select(r => port * 10 + r)]);

    [Fact]
    public void Assigns_node_ranks_in_address_order_then_sends_every_node_the_same_table_with_a_fresh_token()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(2, 2, 0, TimeSpan.FromSeconds(30)));
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        coordinator.Tell(Node(2600), b.Ref);
        coordinator.Tell(Node(2553), a.Ref);

        var assignmentA = a.ExpectMsg<NodeAssignment>();
        var assignmentB = b.ExpectMsg<NodeAssignment>();
        Assert.Equal(0, assignmentA.NodeRank);
        Assert.Equal(1, assignmentB.NodeRank);
        var tableA = a.ExpectMsg<RendezvousTable>();
        var tableB = b.ExpectMsg<RendezvousTable>();
        Assert.Equal(new[] { 25530, 25531, 26000, 26001 }, tableA.Ranks.Select(r => r.Port));
        Assert.Equal(new[] { 0, 0, 1, 1 }, tableB.Ranks.Select(r => r.NodeRank));
        Assert.Equal(32, assignmentA.DataLinkToken.Length);
        Assert.Equal(assignmentA.DataLinkToken, assignmentB.DataLinkToken);
        Assert.Contains(assignmentA.DataLinkToken, x => x != 0);

        var again = Sys.ActorOf(JobCoordinator.Props(1, 1, 0, TimeSpan.FromSeconds(30)));
        again.Tell(Node(2700, ranks: 1), a.Ref);
        Assert.NotEqual(assignmentA.DataLinkToken, a.ExpectMsg<NodeAssignment>().DataLinkToken);
        a.ExpectMsg<RendezvousTable>();
    }

    [Fact]
    public void A_repeated_registration_is_answered_again()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(1, 2, 0, TimeSpan.FromSeconds(30)));
        coordinator.Tell(Node(2553), TestActor);
        ExpectMsg<NodeAssignment>();
        ExpectMsg<RendezvousTable>();
        coordinator.Tell(Node(2553), TestActor);
        ExpectMsg<NodeAssignment>();
        ExpectMsg<RendezvousTable>();
    }

    [Fact]
    public void Two_nodes_claiming_the_same_node_rank_abort_the_job_naming_both()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(2, 2, 0, TimeSpan.FromSeconds(30)));
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        coordinator.Tell(Node(2553, nodeRank: 0), a.Ref);
        coordinator.Tell(Node(2554, nodeRank: 0), b.Ref);
        var aborted = a.ExpectMsg<JobAborted>();
        Assert.Contains(":2553", aborted.Reason);
        Assert.Contains(":2554", aborted.Reason);
        Assert.Contains("node-rank 0", b.ExpectMsg<JobAborted>().Reason);
    }

    [Fact]
    public void Join_timeout_aborts_naming_the_missing_node_ranks()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(3, 2, 0, TimeSpan.FromMilliseconds(300)));
        coordinator.Tell(Node(2553, nodeRank: 0), TestActor);
        var aborted = ExpectMsg<JobAborted>(TimeSpan.FromSeconds(10));
        Assert.Contains("1 of 3 nodes registered", aborted.Reason);
        Assert.Contains("missing node ranks 1, 2 (ranks 2, 3, 4, 5)", aborted.Reason);
    }

    [Fact]
    public void Parameter_server_jobs_wait_for_every_shard_before_the_table()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(2, 1, 2, TimeSpan.FromSeconds(30)));
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        coordinator.Tell(Node(2553, ranks: 1), a.Ref);
        coordinator.Tell(Node(2554, ranks: 1), b.Ref);
        Assert.Equal(new[] { 0 }, a.ExpectMsg<NodeAssignment>().HostedShards);
        Assert.Equal(new[] { 1 }, b.ExpectMsg<NodeAssignment>().HostedShards);
        coordinator.Tell(new ShardReady(new JobEndpoint(1, "127.0.0.1", 7001, "m", "akka.tcp://actortrain@127.0.0.1:2554", 1)));
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        coordinator.Tell(new ShardReady(new JobEndpoint(0, "127.0.0.1", 7000, "m", "akka.tcp://actortrain@127.0.0.1:2553", 0)));
        Assert.Equal(new[] { 7000, 7001 }, a.ExpectMsg<RendezvousTable>().Shards.Select(s => s.Port));
        b.ExpectMsg<RendezvousTable>();
    }
}
