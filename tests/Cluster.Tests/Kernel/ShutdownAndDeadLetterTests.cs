using Xunit;
using System.Collections.Concurrent;
using ActorTrain.Cluster.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class ShutdownAndDeadLetterTests : KernelTestBase
{
    /// <summary>Builds a tree of the given depth and fan-out and records PostStop order.</summary>
    private sealed class TreeNode : UntypedActor
    {
        private readonly ConcurrentQueue<string> _stops;

        public TreeNode(int depth, int fanOut, ConcurrentQueue<string> stops)
        {
            _stops = stops;
            if (depth > 0)
                for (int i = 0; i < fanOut; i++)
                    Context.ActorOf(Props.Create(() => new TreeNode(depth - 1, fanOut, stops)), "n" + i);
        }

        protected override void OnReceive(object message) { }

        protected override void PostStop() => _stops.Enqueue(Self.Path.ToStringWithoutAddress());
    }

    [Fact]
    public async Task Terminate_stops_every_actor_children_before_parents_and_completes_WhenTerminated()
    {
        var stops = new ConcurrentQueue<string>();
        System.ActorOf(Props.Create(() => new TreeNode(3, 2, stops)), "root-a");
        System.ActorOf(Props.Create(() => new TreeNode(2, 3, stops)), "root-b");
        var infra = System.SystemActorOf(Props.Create(() => new TreeNode(0, 0, stops)), "infra");
        Assert.Equal("/system/infra", infra.Path.ToStringWithoutAddress());
        AwaitCondition(() => System.ResolveActorRef("/user/root-a/n1/n1/n1").GetType().Name == "LocalActorRef", "tree built");

        await System.Terminate().WaitAsync(Timeout);

        var order = stops.ToList();
        Assert.Equal(15 + 13 + 1, order.Count);
        foreach (var path in order)
        {
            string parent = path[..path.LastIndexOf('/')];
            if (parent is "/user" or "/system") continue;
            Assert.True(order.IndexOf(path) < order.IndexOf(parent), $"{path} stopped after its parent {parent}");
        }
        // /system actors stop after all /user actors (infrastructure outlives user actors)
        Assert.Equal("/system/infra", order[^1]);
        Assert.True(System.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ActorOf_after_Terminate_is_refused()
    {
        await System.Terminate().WaitAsync(Timeout);
        Assert.Throws<InvalidOperationException>(() => System.ActorOf(Props.Create(() => new TreeNode(0, 0, new()))));
    }

    [Fact]
    public void Messages_to_a_stopped_actor_are_counted_and_logged_as_dead_letters()
    {
        var probe = CreateProbe();
        var actor = System.ActorOf(Props.Create(() => new TreeNode(0, 0, new())), "gone");
        var watcher = System.ActorOf(Props.Create(() => new SupervisionTests.WatchingActor(probe.Ref)));
        watcher.Tell(actor);
        System.Stop(actor);
        probe.ExpectMsg<Terminated>();
        long before = System.DeadLetterCount;
        actor.Tell("hello?", probe.Ref);
        Assert.Equal(before + 1, System.DeadLetterCount);
        var entry = Logs.WaitFor(e => e.Category == "ActorTrain.Cluster.Kernel.DeadLetters" && e.Message.Contains("System.String"));
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("/user/gone", entry.Message);
    }

    [Fact]
    public void Messages_queued_behind_a_PoisonPill_become_dead_letters()
    {
        var probe = CreateProbe();
        var actor = System.ActorOf(Props.Create(() => new Echo()));
        long before = System.DeadLetterCount;
        actor.Tell("first", probe.Ref);
        actor.Tell(PoisonPill.Instance);
        actor.Tell("second", probe.Ref);
        probe.ExpectMsg("first");
        AwaitCondition(() => System.DeadLetterCount >= before + 1, "the message after PoisonPill is a dead letter");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Reply_to_no_sender_goes_to_dead_letters()
    {
        var actor = System.ActorOf(Props.Create(() => new Echo()));
        long before = System.DeadLetterCount;
        actor.Tell("anyone?");
        AwaitCondition(() => System.DeadLetterCount == before + 1, "reply counted as a dead letter");
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }
}
