using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class DeathWatchTests : KernelTestBase
{
    private sealed class Idle : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    private sealed record WatchIt(IActorRef Subject);

    private sealed record UnwatchIt(IActorRef Subject);

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                Context.Watch(w.Subject);
                probe.Tell("watching");
            });
            Receive<UnwatchIt>(u =>
            {
                Context.Unwatch(u.Subject);
                probe.Tell("unwatched");
            });
            Receive<Terminated>(t => probe.Tell(t));
        }
    }

    [Fact]
    public void Watcher_receives_Terminated_when_the_subject_stops()
    {
        var probe = CreateProbe();
        var subject = System.ActorOf(Props.Create(() => new Idle()), "subject");
        var watcher = System.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        watcher.Tell(new WatchIt(subject));
        probe.ExpectMsg("watching");
        subject.Tell(PoisonPill.Instance);
        var terminated = probe.ExpectMsg<Terminated>();
        Assert.Equal(subject, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.False(terminated.AddressTerminated);
    }

    [Fact]
    public void Watching_an_already_dead_actor_delivers_Terminated_at_once()
    {
        var probe = CreateProbe();
        var subject = System.ActorOf(Props.Create(() => new Idle()));
        var firstWatcher = System.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        firstWatcher.Tell(new WatchIt(subject));
        probe.ExpectMsg("watching");
        System.Stop(subject);
        probe.ExpectMsg<Terminated>();

        var lateWatcher = System.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        lateWatcher.Tell(new WatchIt(subject));
        probe.ExpectMsg("watching");
        Assert.Equal(subject, probe.ExpectMsg<Terminated>().ActorRef);
    }

    [Fact]
    public void Watching_a_path_with_no_actor_delivers_Terminated_without_confirmed_existence()
    {
        var probe = CreateProbe();
        var nobody = System.ResolveActorRef("/user/nobody-here");
        var watcher = System.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        watcher.Tell(new WatchIt(nobody));
        probe.ExpectMsg("watching");
        var terminated = probe.ExpectMsg<Terminated>();
        Assert.Equal(nobody, terminated.ActorRef);
        Assert.False(terminated.ExistenceConfirmed);
    }

    [Fact]
    public void Unwatch_prevents_Terminated()
    {
        var probe = CreateProbe();
        var subject = System.ActorOf(Props.Create(() => new Idle()));
        var watcher = System.ActorOf(Props.Create(() => new Watcher(probe.Ref)));
        watcher.Tell(new WatchIt(subject));
        watcher.Tell(new UnwatchIt(subject));
        probe.ExpectMsg("watching");
        probe.ExpectMsg("unwatched");
        System.Stop(subject);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    private sealed class Pact : ReceiveActor
    {
        public Pact(IActorRef subject, IActorRef probe)
        {
            Context.Watch(subject);
            Receive<string>(_ => { });
            _probe = probe;
        }

        private readonly IActorRef _probe;

        protected override void PostStop() => _probe.Tell("pact-stopped");
    }

    [Fact]
    public void Unhandled_Terminated_stops_the_watcher_with_DeathPactException()
    {
        var probe = CreateProbe();
        var subject = System.ActorOf(Props.Create(() => new Idle()));
        System.ActorOf(Props.Create(() => new Pact(subject, probe.Ref)), "pact");
        System.Stop(subject);
        probe.ExpectMsg("pact-stopped");
        var entry = Logs.WaitFor(e => e.Exception is DeathPactException);
        Assert.Contains("/user/pact", entry.Message);
    }

    [Fact]
    public void Parent_watching_its_child_gets_Terminated_after_the_child_PostStop()
    {
        var probe = CreateProbe();
        System.ActorOf(Props.Create(() => new ParentWatchingChild(probe.Ref)));
        probe.ExpectMsg("child-post-stop");
        Assert.Equal("child", probe.ExpectMsg<Terminated>().ActorRef.Path.Name);
    }

    private sealed class ParentWatchingChild : ReceiveActor
    {
        public ParentWatchingChild(IActorRef probe)
        {
            var child = Context.ActorOf(Props.Create(() => new StopReporter(probe)), "child");
            Context.Watch(child);
            Context.Stop(child);
            Receive<Terminated>(t => probe.Tell(t));
        }
    }

    private sealed class StopReporter(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message) { }

        protected override void PostStop() => probe.Tell("child-post-stop");
    }
}
