namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// Messages that drive an actor's lifecycle and DeathWatch. They bypass the ordinary mailbox order
/// (processed before user messages) and are never seen by <c>Receive</c> handlers.
/// </summary>
public abstract record SystemMessage;

/// <summary>Asks <paramref name="Watchee"/> to notify <paramref name="Watcher"/> when it stops.</summary>
public sealed record Watch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>Cancels an earlier <see cref="Watch"/>.</summary>
public sealed record Unwatch(IActorRef Watchee, IActorRef Watcher) : SystemMessage;

/// <summary>
/// Sent by a stopped actor (or by remoting when its node is gone) to each watcher; the watcher turns it into a
/// <see cref="Terminated"/> message.
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the actor never existed (watch of an unknown path).</param>
/// <param name="AddressTerminated">True when the actor's whole node was declared gone.</param>
public sealed record DeathWatchNotification(IActorRef Actor, bool ExistenceConfirmed, bool AddressTerminated) : SystemMessage;
