using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

/// <summary>
/// A transport between actor systems in one process that does exactly what remoting does at the seam: turns paths
/// on the other address into remote references, and on "receipt" delivers by path through the peer's provider,
/// translating every reference in the message to the peer's view (local refs written with the bound address).
/// </summary>
internal sealed class InProcessTransport : IRemoteTransport
{
    private readonly ActorSystem _local;
    private readonly Dictionary<Address, ActorSystem> _peers;

    private InProcessTransport(ActorSystem local, Dictionary<Address, ActorSystem> peers)
    {
        _local = local;
        _peers = peers;
    }

    /// <summary>Gives each system a network address 127.0.0.1:(index+1) and connects them all.</summary>
    public static void Connect(params ActorSystem[] systems)
    {
        var peers = new Dictionary<Address, ActorSystem>();
        for (int i = 0; i < systems.Length; i++)
            peers[Address.Network(systems[i].Name, "127.0.0.1", i + 1)] = systems[i];
        foreach (var (address, system) in peers)
            system.Provider.AttachTransport(new InProcessTransport(system, peers), address);
    }

    public IActorRef ResolveActorRef(ActorPath path) =>
        _peers.TryGetValue(path.Address, out var peer)
            ? new InProcessRemoteRef(path, _local, peer)
            : throw new InvalidOperationException($"No route to {path.Address}");

    /// <summary>What a reference becomes on the other side of the wire.</summary>
    private static IActorRef? Translate(IActorRef? reference, ActorSystem from, ActorSystem to) =>
        reference is null ? null : to.Provider.ResolveActorRef(reference.Path.ToStringWithAddress(from.Address));

    private sealed class InProcessRemoteRef(ActorPath path, ActorSystem local, ActorSystem peer) : ActorRefBase
    {
        public override ActorPath Path { get; } = path;

        public override ActorSystem System => local;

        protected override void TellCore(object message, IActorRef? sender)
        {
            object wireMessage = message switch
            {
                ActorIdentity identity => new ActorIdentity(identity.MessageId, Translate(identity.Subject, local, peer)),
                Terminated terminated => terminated with { ActorRef = Translate(terminated.ActorRef, local, peer)! },
                _ => message,
            };
            peer.Provider.DeliverInbound(Path, wireMessage, Translate(sender, local, peer));
        }

        public override void SendSystemMessage(SystemMessage message)
        {
            SystemMessage? wire = message switch
            {
                Watch w => new Watch(Translate(w.Watchee, local, peer)!, Translate(w.Watcher, local, peer)!),
                Unwatch u => new Unwatch(Translate(u.Watchee, local, peer)!, Translate(u.Watcher, local, peer)!),
                DeathWatchNotification d => d with { Actor = Translate(d.Actor, local, peer)! },
                _ => null, // kernel-internal system messages never cross nodes
            };
            if (wire is not null) peer.Provider.DeliverInboundSystemMessage(Path, wire);
        }
    }
}
