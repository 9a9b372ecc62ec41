using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// What an actor can see and do from inside its handlers. Only valid on the actor's own turn (inside handlers,
/// lifecycle hooks, and async handlers until their task completes).
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's reference.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the current message; dead letters when there is none.</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor (parent).</summary>
    IActorRef Parent { get; }

    /// <summary>The live children.</summary>
    IEnumerable<IActorRef> Children { get; }

    /// <summary>The props this actor was created from.</summary>
    Props Props { get; }

    /// <summary>The actor system.</summary>
    ActorSystem System { get; }

    /// <summary>The system's scheduler.</summary>
    IScheduler Scheduler { get; }

    /// <summary>A logger whose category is the actor's type.</summary>
    ILogger Log { get; }

    /// <summary>The child named <paramref name="name"/>, or null.</summary>
    IActorRef? Child(string name);

    /// <summary>Creates a child; a null name gets a generated <c>$</c>-prefixed one.</summary>
    /// <exception cref="InvalidActorNameException">The name is malformed or already taken.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops <paramref name="actor"/> (this actor, a child, any local actor; a remote one gets a PoisonPill) asynchronously.</summary>
    void Stop(IActorRef actor);

    /// <summary>Watches <paramref name="subject"/>: a <see cref="Terminated"/> arrives when it stops (at once if already dead).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; a pending Terminated for it is dropped.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior with <paramref name="receive"/>.</summary>
    void Become(Receive receive);

    /// <summary>Pushes <paramref name="receive"/> on the behavior stack; <see cref="Unbecome"/> pops it.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behavior stack (the initial behavior is never popped).</summary>
    void Unbecome();

    /// <summary>Puts the current message (and sender) aside until <see cref="UnstashAll"/> or <see cref="Unstash"/>.</summary>
    void Stash();

    /// <summary>Puts the oldest stashed message back at the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Puts all stashed messages back at the front of the mailbox, in their original order.</summary>
    void UnstashAll();
}
