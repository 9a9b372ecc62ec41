namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// Delivered to an actor that watches <paramref name="ActorRef"/> (via <c>Context.Watch</c>) once that actor has
/// stopped; also delivered right away when the watched actor was already dead. An actor that does not handle it
/// fails with <see cref="DeathPactException"/>, as in Akka.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the watched path never held an actor.</param>
/// <param name="AddressTerminated">True when the watched actor's node was declared gone.</param>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated);
