using ActorTrain.Actors.Sync.Transport;
using System.Threading.Channels;
using ActorTrain.Actors.Job;
using ActorTrain.Actors.Sync;
using ActorTrain.Cluster.Node;
using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrain.Actors.Tests.Job;

public sealed class NodeAgentAndShardTests() : TestKit(AkkaConfig.Reference("""
    actortrain.cluster.port = 0
    akka.actor.serialize-messages = on
    akka.loglevel = WARNING
    akka.test.single-expect-default = 15s
    akka.loggers = ["Akka.TestKit.TestEventListener, Akka.TestKit"]
    """))
{
    [Fact]
    public async Task Node_agent_registers_repeats_until_answered_and_forwards_answers_and_membership_to_the_job_host()
    {
        var events = Channel.CreateUnbounded<object>();
        var coordinator = CreateTestProbe();
        var registration = new RegisterNode("akka.tcp://actortrain@127.0.0.1:1", -1, "127.0.0.1", "m", [4000]);
        var agent = Sys.ActorOf(NodeAgent.Props(coordinator.Ref, registration, events.Writer));
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);

        // serialize-messages = on: what arrives is a deserialized copy.
        Assert.Equal(registration.NodeAddress, coordinator.ExpectMsg<RegisterNode>().NodeAddress);
        Assert.Equal(registration.RankPorts, coordinator.ExpectMsg<RegisterNode>(TimeSpan.FromSeconds(5)).RankPorts); // no answer yet: again
        var assignment = new NodeAssignment(0, 0, [], DataLinkToken.Create());
        agent.Tell(assignment, coordinator.Ref);
        coordinator.ExpectNoMsg(TimeSpan.FromSeconds(2.5)); // answered: no more registrations

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<object>();
        while (!(seen.OfType<NodeAssignment>().Any() && seen.OfType<ClusterEvent.MemberUp>().Any()))
            seen.Add(await events.Reader.ReadAsync(timeout.Token));
        Assert.Contains(seen.OfType<ClusterEvent.MemberUp>(), e => e.Member.Address.Equals(cluster.SelfAddress));
    }

    [Fact]
    public async Task Parameter_server_actor_listens_reports_its_endpoint_and_its_shard_ends_when_the_actor_stops()
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var self = new JobEndpoint(1, "127.0.0.1", 0, "m", "akka.tcp://actortrain@127.0.0.1:1", 0);
        var shard = Sys.ActorOf(ParameterServerActor.Props(self, 2, 2, new GradientSyncOptions(), DataLinkToken.Create(), TestActor, completion), ParameterServerActor.NameOf(1));
        var ready = ExpectMsg<ShardReady>();
        Assert.Equal(1, ready.Endpoint.Index);
        Assert.InRange(ready.Endpoint.Port, 1, 65535);
        Assert.False(completion.Task.IsCompleted);
        Watch(shard);
        Sys.Stop(shard);
        ExpectTerminated(shard);
        // Stopped before any rank came: the shard ends (faulted "ranks did not connect", or done, by timing); it must end.
        await Task.WhenAny(completion.Task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(completion.Task.IsCompleted, "the shard's completion did not end after its actor stopped");
    }
}
