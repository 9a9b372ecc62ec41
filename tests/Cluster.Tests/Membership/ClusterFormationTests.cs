using System.Collections.Concurrent;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Membership;
using ActorTrain.Cluster.Tests.Remoting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorTrain.Cluster.Tests.Membership;

public class ClusterFormationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Three_nodes_form_a_cluster_one_leaves_gracefully_and_a_crashed_one_is_marked_unreachable_in_time()
    {
        int[] ports = [RemoteTransportTests.FreePort(), RemoteTransportTests.FreePort(), RemoteTransportTests.FreePort()];
        int[] seeds = [ports[0], ports[1]];
        var logs = new CapturingLoggerFactory();
        var nodes = new List<ClusterNode>();
        try
        {
            foreach (int port in ports)
                nodes.Add(await ClusterNode.StartAsync(ClusterTestSettings.Cluster(port, seeds, minNrOfMembers: 3), ClusterTestSettings.Remote, logs));
            await Task.WhenAll(nodes.Select(n => n.Cluster.WhenUp)).WaitAsync(Wait);

            foreach (var node in nodes)
            {
                var state = node.Cluster.State;
                Assert.Equal(ports.Order().Select(p => (int?)p), state.Members.Select(m => m.Address.Port)); // address order
                Assert.All(state.Members, m => Assert.Equal(MemberStatus.Up, m.Status));
            }
            Assert.All(nodes, n => Assert.Equal(ports.Min(), n.Cluster.Leader?.Address.Port));

            var events = new ConcurrentQueue<(DateTime, ClusterDomainEvent)>();
            nodes[0].System.ActorOf(Props.Create(() => new EventCollector(events)), "events");
            nodes[0].Cluster.Subscribe(nodes[0].System.ResolveActorRef("/user/events"), initialStateAsSnapshot: false,
                typeof(MemberEvent), typeof(ReachabilityEvent));

            // Graceful leave of the third node: Leaving -> Exiting -> Removed, seen by the first.
            await nodes[2].ShutdownAsync(Wait);
            var removed = await EventCollector.WaitForAsync<MemberRemoved>(events, e => e.Member.Address.Port == ports[2], Wait);
            Assert.Equal(MemberStatus.Exiting, removed.Event.PreviousStatus);
            Assert.DoesNotContain(events, e => e.Item2 is UnreachableMember u && u.Member.Address.Port == ports[2]);

            // Abrupt stop of the second node: the first marks it unreachable within the detector-derived bound.
            DateTime crashedAt = DateTime.UtcNow;
            await nodes[1].AbortAsync();
            var unreachable = await EventCollector.WaitForAsync<UnreachableMember>(events, e => e.Member.Address.Port == ports[1], Wait);
            TimeSpan detection = unreachable.At - crashedAt;
            Assert.True(detection <= ClusterTestSettings.UnreachableBound,
                $"unreachable after {detection.TotalMilliseconds:F0} ms, bound {ClusterTestSettings.UnreachableBound.TotalMilliseconds:F0} ms");
            Assert.True(logs.Contains(LogLevel.Warning, "UNREACHABLE", $"127.0.0.1:{ports[1]}"), logs.Dump());

            // Downing the unreachable node lets the leader remove it.
            nodes[0].Cluster.Down(nodes[1].Address);
            var downedRemoval = await EventCollector.WaitForAsync<MemberRemoved>(events, e => e.Member.Address.Port == ports[1], Wait);
            Assert.Equal(MemberStatus.Down, downedRemoval.Event.PreviousStatus);
            Assert.Equal([ports[0]], nodes[0].Cluster.State.Members.Select(m => m.Address.Port!.Value));
        }
        finally
        {
            foreach (var node in nodes) await node.AbortAsync();
        }
    }

    [Fact]
    public async Task Node_without_seeds_forms_its_own_cluster_and_is_up()
    {
        var logs = new CapturingLoggerFactory();
        await using var node = await ClusterNode.StartAsync(ClusterTestSettings.Cluster(0, []), ClusterTestSettings.Remote, logs);
        await node.Cluster.WhenUp.WaitAsync(Wait);
        Assert.Equal(MemberStatus.Up, node.Cluster.SelfMember!.Status);
        Assert.Equal(node.Cluster.SelfUniqueAddress, node.Cluster.Leader);
    }

    [Fact]
    public async Task Node_with_the_wrong_secret_cannot_join_and_the_seed_logs_its_endpoint()
    {
        var logs = new CapturingLoggerFactory();
        await using var seed = await ClusterNode.StartAsync(ClusterTestSettings.Cluster(0, [], secret: "right"), ClusterTestSettings.Remote, logs);
        await seed.Cluster.WhenUp.WaitAsync(Wait);
        var intruderLogs = new CapturingLoggerFactory();
        await using var intruder = await ClusterNode.StartAsync(
            ClusterTestSettings.Cluster(0, [seed.Address.Port!.Value], secret: "wrong"), ClusterTestSettings.Remote, intruderLogs);
        Assert.True(await logs.WaitForAsync(LogLevel.Warning, Wait, "Refused inbound connection from 127.0.0.1:", "wrong cluster secret"), logs.Dump());
        await Task.Delay(500);
        Assert.Single(seed.Cluster.State.Members);
        Assert.Null(intruder.Cluster.SelfMember);
    }
}
