using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class BecomeAndStashTests : KernelTestBase
{
    private sealed class Mood : ReceiveActor
    {
        public Mood()
        {
            Receive<string>(s => s == "angry", _ => BecomeStacked(Angry));
            Receive<string>(s => s == "happy", _ => Become(Happy));
            Receive<string>(s => Sender.Tell("neutral:" + s));
        }

        private void Angry()
        {
            Receive<string>(s => s == "calm", _ => UnbecomeStacked());
            Receive<string>(s => s == "angry", _ => BecomeStacked(Furious));
            Receive<string>(s => Sender.Tell("angry:" + s));
        }

        private void Furious()
        {
            Receive<string>(s => s == "calm", _ => UnbecomeStacked());
            Receive<string>(s => Sender.Tell("furious:" + s));
        }

        private void Happy()
        {
            Receive<string>(s => s == "calm", _ => UnbecomeStacked());
            Receive<string>(s => Sender.Tell("happy:" + s));
        }
    }

    [Fact]
    public void BecomeStacked_and_Unbecome_walk_the_behavior_stack()
    {
        var probe = CreateProbe();
        var mood = System.ActorOf(Props.Create(() => new Mood()));
        foreach (var s in new[] { "x", "angry", "x", "angry", "x", "calm", "x", "calm", "x" }) mood.Tell(s, probe.Ref);
        probe.ExpectMsg("neutral:x");
        probe.ExpectMsg("angry:x");
        probe.ExpectMsg("furious:x");
        probe.ExpectMsg("angry:x");
        probe.ExpectMsg("neutral:x");
    }

    [Fact]
    public void Become_replaces_the_top_behavior_and_Unbecome_falls_back_to_the_initial_one()
    {
        var probe = CreateProbe();
        var mood = System.ActorOf(Props.Create(() => new Mood()));
        foreach (var s in new[] { "happy", "x", "calm", "x", "happy", "happy", "calm", "x" }) mood.Tell(s, probe.Ref);
        probe.ExpectMsg("happy:x");
        probe.ExpectMsg("neutral:x");
        // a second "happy" while happy is just a message; the stack has one entry, so one "calm" returns to neutral
        probe.ExpectMsg("happy:happy");
        probe.ExpectMsg("neutral:x");
    }

    private sealed record Open;

    private sealed record Write(int Value);

    private sealed class Door : ReceiveActor
    {
        public Door()
        {
            Receive<Write>(_ => Context.Stash());
            Receive<Open>(_ =>
            {
                Become(() => Receive<Write>(w => Sender.Tell(w.Value)));
                Context.UnstashAll();
            });
        }
    }

    [Fact]
    public void Stashed_messages_are_replayed_in_order_before_newer_ones()
    {
        var probe = CreateProbe();
        var door = System.ActorOf(Props.Create(() => new Door()));
        for (int i = 0; i < 5; i++) door.Tell(new Write(i), probe.Ref);
        door.Tell(new Open());
        door.Tell(new Write(5), probe.Ref);
        for (int i = 0; i <= 5; i++) probe.ExpectMsg(i);
    }

    private sealed class StashThenFail : ReceiveActor
    {
        public StashThenFail()
        {
            Receive<Write>(_ => Context.Stash());
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("restart me"));
            Receive<Open>(_ => { });
        }

        protected override void PostRestart(Exception reason) =>
            Become(() => Receive<Write>(w => Context.Parent.Tell(w.Value, Self)));
    }

    private sealed class ParentOf(Props child, IActorRef probe) : UntypedActor
    {
        private IActorRef? _child;

        protected override void PreStart() => _child = Context.ActorOf(child, "child");

        protected override void OnReceive(object message)
        {
            if (Sender.Equals(_child)) probe.Tell(message);
            else _child!.Tell(message, Sender);
        }
    }

    [Fact]
    public void Stashed_messages_survive_a_restart()
    {
        var probe = CreateProbe();
        var parent = System.ActorOf(Props.Create(() => new ParentOf(Props.Create(() => new StashThenFail()), probe.Ref)));
        parent.Tell(new Write(1));
        parent.Tell(new Write(2));
        parent.Tell("fail");
        probe.ExpectMsg(1);
        probe.ExpectMsg(2);
    }
}
