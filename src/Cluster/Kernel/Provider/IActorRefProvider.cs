namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// Resolves paths to references and routes between local actors and the remote transport.
/// See <see cref="IRemoteTransport"/> for how remoting plugs in.
/// </summary>
public interface IActorRefProvider
{
    /// <summary>The system's local-only address (<c>actortrain://sys</c>); all local actor paths carry it.</summary>
    Address LocalAddress { get; }

    /// <summary>The address peers use: the bound network address once a transport is attached, else <see cref="LocalAddress"/>.</summary>
    Address DefaultAddress { get; }

    /// <summary>The attached transport, or null for a local-only system.</summary>
    IRemoteTransport? Transport { get; }

    /// <summary>The dead-letters reference.</summary>
    IActorRef DeadLetters { get; }

    /// <summary>True for this system's local-only address and its bound address.</summary>
    bool IsLocalAddress(Address address);

    /// <summary>
    /// The reference for <paramref name="path"/>: a live local actor, a stand-in that dead-letters (unknown local
    /// path), or — for another node's address — the transport's remote reference.
    /// </summary>
    /// <exception cref="InvalidOperationException">The path is on another node and no transport is attached.</exception>
    IActorRef ResolveActorRef(ActorPath path);

    /// <summary>Parses and resolves a full path, or a local one starting with <c>/</c>.</summary>
    IActorRef ResolveActorRef(string path);

    /// <summary>Connects remoting: paths at other addresses resolve through <paramref name="transport"/>; <paramref name="boundAddress"/> counts as local.</summary>
    /// <exception cref="InvalidOperationException">A transport is already attached.</exception>
    void AttachTransport(IRemoteTransport transport, Address boundAddress);

    /// <summary>Delivers a message that arrived from the network to the local actor at <paramref name="recipient"/>.</summary>
    void DeliverInbound(ActorPath recipient, object message, IActorRef? sender);

    /// <summary>Delivers a system message (Watch/Unwatch/DeathWatchNotification) that arrived from the network.</summary>
    void DeliverInboundSystemMessage(ActorPath recipient, SystemMessage message);

    /// <summary>Fires Terminated in every local actor that watches an actor at <paramref name="address"/>.</summary>
    void NotifyAddressTerminated(Address address);
}
