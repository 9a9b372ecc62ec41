namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The seam between the kernel and remoting (location transparency).
/// <para>
/// Outbound: remoting binds its socket, then calls
/// <see cref="IActorRefProvider.AttachTransport"/>(transport, <c>actortrain://sys@host:port</c>). From then on the
/// provider hands every path whose address is neither the local-only address nor the bound address to
/// <see cref="ResolveActorRef"/>, which returns a RemoteActorRef (derive it from <see cref="ActorRefBase"/>):
/// its Tell frames the message, and its SendSystemMessage carries <see cref="Watch"/>, <see cref="Unwatch"/> and
/// <see cref="DeathWatchNotification"/> over the wire (kernel-internal system messages can be ignored). Local actor
/// paths keep the local-only address; write a local sender with
/// <c>sender.Path.ToStringWithAddress(provider.DefaultAddress)</c> so the peer can reply.
/// </para>
/// <para>
/// Inbound: for each frame remoting calls <see cref="IActorRefProvider.DeliverInbound"/> with the recipient path
/// and a sender reference obtained from <see cref="IActorRefProvider.ResolveActorRef(ActorPath)"/> (which yields a
/// RemoteActorRef for the peer's paths, including the <c>/temp/…</c> reply-to of a remote Ask); inbound system
/// messages go to <see cref="IActorRefProvider.DeliverInboundSystemMessage"/>.
/// </para>
/// <para>
/// Node loss: when membership or the failure detector declares a node gone, call
/// <see cref="IActorRefProvider.NotifyAddressTerminated"/> so local watchers of actors on it get Terminated.
/// </para>
/// </summary>
public interface IRemoteTransport
{
    /// <summary>A reference to the actor at <paramref name="path"/> on another node (created or cached; never null).</summary>
    IActorRef ResolveActorRef(ActorPath path);
}
