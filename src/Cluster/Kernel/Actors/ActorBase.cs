namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// Base class of every actor. The kernel creates instances through <see cref="Props"/> and calls
/// <see cref="Receive"/> with exactly one message at a time. Lifecycle hooks follow Akka:
/// PreStart → messages → PostStop; on restart PreRestart (old instance) then PostRestart (new instance).
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    /// <summary>Binds the new instance to the cell that is creating it.</summary>
    /// <exception cref="InvalidOperationException">The actor was constructed with <c>new</c> instead of through ActorOf.</exception>
    protected ActorBase()
    {
        _cell = ActorCell.CreatingCell ?? throw new InvalidOperationException(
            $"{GetType().FullName} was constructed directly; actors must be created with ActorOf(Props.Create(...)).");
    }

    /// <summary>The actor's context: self, sender, children, watch, become, stash, scheduler.</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's reference.</summary>
    protected IActorRef Self => _cell.Self;

    /// <summary>The sender of the message being processed (dead letters when there is none).</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>The initial behavior: handle <paramref name="message"/> and return true, or return false if unhandled.</summary>
    protected abstract bool Receive(object message);

    /// <summary>Called for a message no behavior handled. An unhandled <see cref="Terminated"/> fails the actor with <see cref="DeathPactException"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        _cell.LogUnhandled(message);
    }

    /// <summary>Called on the actor's thread before the first message.</summary>
    protected virtual void PreStart() { }

    /// <summary>Called after the actor and all its children have stopped.</summary>
    protected virtual void PostStop() { }

    /// <summary>Called on the failed instance before it is replaced. Default: unwatch and stop all children, then PostStop.</summary>
    /// <param name="reason">The failure.</param>
    /// <param name="message">The message being processed when it failed, if any.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children.ToArray())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Called on the fresh instance after a restart. Default: PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>The strategy this actor applies to its failing children (default: <see cref="Kernel.SupervisorStrategy.DefaultStrategy"/>).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.DefaultStrategy;

    /// <summary>Called by the cell once the constructor has returned.</summary>
    internal virtual void AfterConstruction() { }

    // Entry points for the cell: the hooks stay 'protected' so subclasses in any assembly override them the same way.
    internal Receive InitialBehavior => Receive;

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();
}
