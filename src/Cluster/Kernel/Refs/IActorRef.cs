namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// A handle to an actor, local or on another node; used the same way in both cases (location transparency).
/// Equality is by <see cref="Path"/>. Implement by deriving from <see cref="ActorRefBase"/>; the remoting layer
/// does so with its RemoteActorRef (see <see cref="IRemoteTransport"/> for the seam).
/// </summary>
public interface IActorRef : IEquatable<IActorRef>
{
    /// <summary>The actor's path, including the address of the system that hosts it.</summary>
    ActorPath Path { get; }

    /// <summary>
    /// The local actor system this reference belongs to (for a remote reference: the system that created the
    /// reference). Ask uses it to create its temporary reply actor.
    /// </summary>
    ActorSystem System { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> for the actor, fire-and-forget. Messages from one sender to one
    /// recipient arrive in the order they were told. <paramref name="sender"/> is what the recipient sees as
    /// <c>Context.Sender</c>. Null means: inside an actor's turn, that actor (Akka's implicit sender); elsewhere no
    /// sender (replies go to dead letters). After an <c>await</c> in an async handler pass <c>Self</c> explicitly.
    /// </summary>
    void Tell(object message, IActorRef? sender = null);

    /// <summary>
    /// Delivers a system message (<see cref="Watch"/>, <see cref="Unwatch"/>, <see cref="DeathWatchNotification"/>
    /// and the kernel's own lifecycle messages). System messages overtake ordinary messages. A remote reference
    /// sends Watch/Unwatch/DeathWatchNotification over the wire and may ignore the kernel-internal ones.
    /// </summary>
    void SendSystemMessage(SystemMessage message);
}
