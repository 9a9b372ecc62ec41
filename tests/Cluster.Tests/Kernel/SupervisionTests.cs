using Xunit;
using ActorTrain.Cluster.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class SupervisionTests : KernelTestBase
{
    private sealed class Boom(string message) : Exception(message);

    /// <summary>Counts messages, reports lifecycle hooks to the probe, throws on "boom".</summary>
    private sealed class Worker : ReceiveActor
    {
        private readonly IActorRef _probe;
        private int _count;

        public Worker(IActorRef probe)
        {
            _probe = probe;
            Receive<string>(s => s == "boom", _ => throw new Boom("worker exploded"));
            Receive<string>(s => s == "count", _ => _probe.Tell(_count));
            Receive<string>(_ => _count++);
        }

        protected override void PreStart() => _probe.Tell("pre-start");

        protected override void PostStop() => _probe.Tell("post-stop");

        protected override void PreRestart(Exception reason, object? message)
        {
            _probe.Tell($"pre-restart:{reason.Message}:{message}");
            base.PreRestart(reason, message);
        }

        protected override void PostRestart(Exception reason)
        {
            _probe.Tell($"post-restart:{reason.Message}");
            base.PostRestart(reason);
        }
    }

    /// <summary>A parent whose strategy for its child is fixed by the test.</summary>
    private sealed class Supervisor(Props childProps, SupervisorStrategy strategy, IActorRef probe) : UntypedActor
    {
        private IActorRef? _child;

        protected override void PreStart() => _child = Context.ActorOf(childProps, "worker");

        protected override void OnReceive(object message)
        {
            if (message is "child?") probe.Tell(_child!);
            else _child!.Tell(message, Sender);
        }

        protected override SupervisorStrategy SupervisorStrategy() => strategy;

        protected override void PostStop() => probe.Tell("supervisor-post-stop");

        protected override void PreRestart(Exception reason, object? message)
        {
            probe.Tell("supervisor-pre-restart:" + reason.Message);
            base.PreRestart(reason, message);
        }
    }

    private IActorRef StartSupervised(TestProbe probe, Func<Exception, Directive> decider, string name)
    {
        var supervisor = System.ActorOf(
            Props.Create(() => new Supervisor(Props.Create(() => new Worker(probe.Ref)), new OneForOneStrategy(decider), probe.Ref)), name);
        probe.ExpectMsg("pre-start");
        return supervisor;
    }

    [Fact]
    public void Restart_replaces_the_instance_keeps_the_mailbox_and_logs_the_failure()
    {
        var probe = CreateProbe();
        var supervisor = StartSupervised(probe, _ => Directive.Restart, "restarting");
        supervisor.Tell("a");
        supervisor.Tell("boom");
        supervisor.Tell("b"); // queued behind the failure: must survive the restart
        supervisor.Tell("count");
        probe.ExpectMsg("pre-restart:worker exploded:boom");
        probe.ExpectMsg("post-stop");
        probe.ExpectMsg("post-restart:worker exploded");
        probe.ExpectMsg("pre-start");
        probe.ExpectMsg(1); // fresh state: only "b" counted
        var entry = Logs.WaitFor(e => e.Category == "ActorTrain.Cluster.Kernel.Supervision");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<Boom>(entry.Exception);
        Assert.Contains("actortrain://test/user/restarting/worker", entry.Message);
        Assert.Contains("worker exploded", entry.Message);
        Assert.Contains("Restart", entry.Message);
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var probe = CreateProbe();
        var supervisor = StartSupervised(probe, _ => Directive.Resume, "resuming");
        supervisor.Tell("a");
        supervisor.Tell("boom");
        supervisor.Tell("b");
        supervisor.Tell("count");
        probe.ExpectMsg(2);
        Assert.Contains(Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Resume"));
    }

    [Fact]
    public void Stop_directive_stops_the_child_and_later_messages_are_dead_letters()
    {
        var probe = CreateProbe();
        var supervisor = StartSupervised(probe, _ => Directive.Stop, "stopping");
        supervisor.Tell("child?");
        var child = probe.ExpectMsg<IActorRef>();
        var watcher = System.ActorOf(Props.Create(() => new WatchingActor(probe.Ref)));
        watcher.Tell(child);
        supervisor.Tell("boom");
        probe.ExpectMsg("post-stop");
        Assert.Equal(child, probe.ExpectMsg<Terminated>().ActorRef);
        Logs.WaitFor(e => e.Message.Contains("decided: Stop"));
        long before = System.DeadLetterCount;
        child.Tell("count");
        Assert.Equal(before + 1, System.DeadLetterCount);
    }

    [Fact]
    public void Escalate_lets_the_grandparent_decide_about_the_parent()
    {
        var probe = CreateProbe();
        // grandparent restarts whatever escalates to it; the supervisor escalates its worker's failure
        var supervisorProps = Props.Create(() => new Supervisor(
            Props.Create(() => new Worker(probe.Ref)), new OneForOneStrategy(_ => Directive.Escalate), probe.Ref));
        var grandparent = System.ActorOf(Props.Create(() => new Supervisor(
            supervisorProps, new OneForOneStrategy(_ => Directive.Restart), probe.Ref)), "grandparent");
        probe.ExpectMsg("pre-start");
        grandparent.Tell("boom"); // forwarded grandparent → supervisor → worker
        probe.ExpectMsg("supervisor-pre-restart:worker exploded");
        // default PreRestart stops the worker (asynchronously) and calls the supervisor's PostStop
        var stops = new[] { probe.ExpectMsg<string>(), probe.ExpectMsg<string>() }.Order();
        Assert.Equal(["post-stop", "supervisor-post-stop"], stops);
        probe.ExpectMsg("pre-start"); // the new supervisor instance creates a new worker, after the old one is gone
        var entry = Logs.WaitFor(e => e.Category == "ActorTrain.Cluster.Kernel.Supervision");
        Assert.Contains("actortrain://test/user/grandparent/worker", entry.Message); // the escalating supervisor is named "worker" under grandparent
        Assert.Contains("decided: Restart", entry.Message);
    }

    private sealed class FailsInConstructor : UntypedActor
    {
        public FailsInConstructor() => throw new InvalidOperationException("bad config");

        protected override void OnReceive(object message) { }
    }

    [Fact]
    public void Actor_that_fails_to_initialize_is_stopped_by_the_default_strategy()
    {
        var probe = CreateProbe();
        var watcher = System.ActorOf(Props.Create(() => new WatchingActor(probe.Ref)));
        var broken = System.ActorOf(Props.Create(() => new FailsInConstructor()), "broken");
        watcher.Tell(broken);
        Assert.Equal(broken, probe.ExpectMsg<Terminated>().ActorRef);
        var entry = Logs.WaitFor(e => e.Message.Contains("decided: Stop"));
        Assert.IsType<ActorInitializationException>(entry.Exception);
        Assert.Contains("bad config", entry.Message);
    }

    [Fact]
    public void Restart_budget_exhausted_turns_into_stop()
    {
        var probe = CreateProbe();
        var supervisor = System.ActorOf(Props.Create(() => new Supervisor(
            Props.Create(() => new Worker(probe.Ref)), new OneForOneStrategy(2, null, _ => Directive.Restart), probe.Ref)), "budget");
        probe.ExpectMsg("pre-start");
        for (int i = 0; i < 3; i++) supervisor.Tell("boom");
        Logs.WaitFor(e => e.Message.Contains("restart budget of 2"));
    }

    [Fact]
    public void Kill_message_stops_the_actor_under_the_default_strategy()
    {
        var probe = CreateProbe();
        var watcher = System.ActorOf(Props.Create(() => new WatchingActor(probe.Ref)));
        var victim = System.ActorOf(Props.Create(() => new Worker(probe.Ref)), "victim");
        probe.ExpectMsg("pre-start");
        watcher.Tell(victim);
        victim.Tell(Kill.Instance);
        probe.ExpectMsg("post-stop");
        Assert.Equal(victim, probe.ExpectMsg<Terminated>().ActorRef);
    }

    private sealed class AllForOneParent(IActorRef probe) : UntypedActor
    {
        protected override void PreStart()
        {
            Context.ActorOf(Props.Create(() => new Worker(probe)), "a");
            Context.ActorOf(Props.Create(() => new Worker(probe)), "b");
        }

        protected override void OnReceive(object message) => Context.Child("a")!.Tell(message);

        protected override SupervisorStrategy SupervisorStrategy() => new AllForOneStrategy(_ => Directive.Stop);
    }

    [Fact]
    public void AllForOne_stop_stops_the_siblings_too()
    {
        var probe = CreateProbe();
        var parent = System.ActorOf(Props.Create(() => new AllForOneParent(probe.Ref)));
        probe.ExpectMsg("pre-start");
        probe.ExpectMsg("pre-start");
        parent.Tell("boom");
        probe.ExpectMsg("post-stop");
        probe.ExpectMsg("post-stop");
    }

    /// <summary>Watches every IActorRef it is sent and forwards Terminated to the probe.</summary>
    internal sealed class WatchingActor : ReceiveActor
    {
        public WatchingActor(IActorRef probe)
        {
            Receive<IActorRef>(subject => Context.Watch(subject));
            Receive<Terminated>(t => probe.Tell(t));
        }
    }
}
