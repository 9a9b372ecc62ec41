using ActorTrain.Actors.Job;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrain.Actors.Tests.Job;

/// <summary>The job coordinator's rendezvous for elastic jobs (min-nodes &lt; max-nodes) and restarts.</summary>
public sealed class ElasticRendezvousTests() : TestKit(AkkaTestConfig.Local)
{
    private static RegisterNode Node(int port, int nodeRank = -1, RestartContext? restart = null) =>
        new($"akka.tcp://actortrain@127.0.0.1:{port}", nodeRank, "127.0.0.1", "m", [port * 10], restart);

    [Fact]
    public void At_join_timeout_the_job_starts_with_min_nodes_compacting_the_configured_node_ranks()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(3, 1, 0, TimeSpan.FromMilliseconds(300), minNodes: 2));
        var first = CreateTestProbe();
        var third = CreateTestProbe();
        coordinator.Tell(Node(2553, nodeRank: 0), first.Ref);
        coordinator.Tell(Node(2555, nodeRank: 2), third.Ref);
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // still waiting for max-nodes

        var a = first.ExpectMsg<NodeAssignment>(TimeSpan.FromSeconds(10));
        var b = third.ExpectMsg<NodeAssignment>();
        Assert.Equal((0, 2), (a.NodeRank, a.NodeCount));
        Assert.Equal((1, 2), (b.NodeRank, b.NodeCount)); // configured node rank 2 of a 2-node job: compacted in order
        var table = first.ExpectMsg<RendezvousTable>();
        Assert.Equal(new[] { 25530, 25550 }, table.Ranks.Select(r => r.Port));
        Assert.Null(a.Restart);

        var late = CreateTestProbe();
        coordinator.Tell(Node(2554, nodeRank: 1), late.Ref);
        var refused = late.ExpectMsg<JobAborted>();
        Assert.Contains("already started with 2 nodes", refused.Reason);
        Assert.Contains(":2554 came too late", refused.Reason);
    }

    [Fact]
    public void Fewer_than_min_nodes_at_join_timeout_abort_as_before()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(3, 1, 0, TimeSpan.FromMilliseconds(300), minNodes: 2));
        coordinator.Tell(Node(2553, nodeRank: 0), TestActor);
        var aborted = ExpectMsg<JobAborted>(TimeSpan.FromSeconds(10));
        Assert.Contains("1 of 3 nodes registered", aborted.Reason);
    }

    [Fact]
    public void With_max_nodes_registered_the_rendezvous_closes_at_once_and_every_node_learns_the_latest_restart()
    {
        var coordinator = Sys.ActorOf(JobCoordinator.Props(3, 1, 0, TimeSpan.FromSeconds(30), minNodes: 2));
        var survivor = CreateTestProbe();
        var relaunched = CreateTestProbe();
        var restart = new RestartContext(2, "node akka.tcp://actortrain@127.0.0.1:2554 is UNREACHABLE", ["akka.tcp://actortrain@127.0.0.1:2554"]);
        coordinator.Tell(Node(2553, nodeRank: 0, restart: new RestartContext(1, "older", [])), survivor.Ref);
        coordinator.Tell(Node(2556, restart: restart), survivor.Ref);
        coordinator.Tell(Node(2554, nodeRank: 1), relaunched.Ref); // a relaunched node knows nothing of the restarts
        var assignment = relaunched.ExpectMsg<NodeAssignment>();
        Assert.Equal((2, restart.Cause), (assignment.Restart!.Attempt, assignment.Restart.Cause));
        Assert.Equal(3, assignment.NodeCount);
        Assert.Equal(1, assignment.NodeRank);
    }
}
