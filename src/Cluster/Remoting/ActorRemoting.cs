using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using Microsoft.Extensions.Logging;
using Envelope = ActorTrain.Cluster.MessagePack.Envelope;

namespace ActorTrain.Cluster.Remoting;

/// <summary>Writes the start of a payload whose remaining bytes are sent from caller memory (e.g. fields, then a bin header).</summary>
public delegate void PayloadPrefixWriter(ref MessagePackWriter writer);

/// <summary>
/// Remoting for one <see cref="ActorSystem"/>: plugs a <see cref="RemoteTransport"/> into the kernel's provider.
/// Outbound, a <see cref="RemoteActorRef"/> serializes [sender path, recipient path, type id, payload] with the
/// <see cref="MessageTypeRegistry"/> and queues it on the recipient node's association. Inbound, each envelope is
/// decoded and delivered to the local actor by path, with a sender reference that points back to the peer; an
/// unknown type id or malformed envelope closes that connection with the reason logged.
/// </summary>
public sealed class ActorRemoting : IRemoteTransport, IInboundMessageHandler, IAsyncDisposable
{
    private readonly ILogger _logger;

    /// <summary>Creates remoting for <paramref name="system"/>; call <see cref="Start"/> to bind and attach.</summary>
    /// <param name="system">The local actor system (its name must equal <see cref="TransportOptions.SystemName"/>).</param>
    /// <param name="options">Transport options.</param>
    /// <param name="registry">Message types; remoting's own types are added to it.</param>
    public ActorRemoting(ActorSystem system, TransportOptions options, MessageTypeRegistry registry)
    {
        if (system.Name != options.SystemName)
            throw new ArgumentException($"actor system is named '{system.Name}' but remoting was configured for '{options.SystemName}'");
        System = system;
        Registry = registry;
        RemotingSerializers.Register(registry);
        _logger = system.LoggerFactory.CreateLogger("ActorTrain.Cluster.Remoting");
        Transport = new RemoteTransport(options, system.LoggerFactory, OnDeadLetter);
    }

    /// <summary>The local actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The message types this node can send and receive.</summary>
    public MessageTypeRegistry Registry { get; }

    /// <summary>The underlying transport.</summary>
    public RemoteTransport Transport { get; }

    /// <summary>This node's address and uid (after <see cref="Start"/>).</summary>
    public UniqueAddress SelfAddress => Transport.LocalAddress;

    /// <summary>Binds the listener and attaches remoting to the system's provider.</summary>
    public UniqueAddress Start(long? uid = null)
    {
        UniqueAddress self = Transport.Start(this, uid);
        System.Provider.AttachTransport(this, self.Address);
        return self;
    }

    /// <inheritdoc />
    public IActorRef ResolveActorRef(ActorPath path) => new RemoteActorRef(this, path);

    /// <summary>The wire form of <paramref name="actor"/>'s path: local paths get this node's bound address.</summary>
    public string WirePath(IActorRef actor) => actor.Path.ToStringWithAddress(System.Provider.DefaultAddress);

    internal void Send(RemoteActorRef recipient, object message, IActorRef? sender)
    {
        var head = new PooledBufferWriter();
        try
        {
            var writer = new MessagePackWriter(head);
            EnvelopeSerializer.Write(ref writer, Registry, sender is null ? null : WirePath(sender), recipient.Path.ToString(), message);
        }
        catch (Exception e) when (e is InvalidOperationException or MessagePackFormatException or ArgumentException)
        {
            head.Dispose();
            _logger.LogError("Cannot send {MessageType} to {Recipient}: {Reason}", message.GetType().FullName, recipient.Path, e.Message);
            System.DeadLetters.Tell(new DeadLetter(message, sender, recipient), sender);
            return;
        }
        Transport.Send(recipient.Path.Address, new OutboundMessage(head.WrittenMemory, description: new DeadLetter(message, sender, recipient), headOwner: head));
    }

    /// <summary>
    /// Sends a message whose payload ends in bytes taken straight from <paramref name="tail"/> (no copy): the envelope
    /// header and <paramref name="prefix"/> are serialized, then <paramref name="tail"/> follows on the socket. The
    /// receiving node reads the payload with the serializer registered for <paramref name="typeId"/>, so prefix + tail
    /// must form exactly one MessagePack value (e.g. prefix = array header, fields, bin header of tail's length).
    /// </summary>
    /// <returns>True once the bytes are handed to the socket (the tail may be reused), false when dropped.</returns>
    public Task<bool> SendWithTailAsync(IActorRef recipient, int typeId, PayloadPrefixWriter prefix, ReadOnlyMemory<byte> tail, IActorRef? sender = null)
    {
        if (recipient is not RemoteActorRef remote)
            throw new ArgumentException($"{recipient.Path} is not a remote actor; tell local actors directly", nameof(recipient));
        var head = new PooledBufferWriter();
        var writer = new MessagePackWriter(head);
        EnvelopeSerializer.WriteHeader(ref writer, sender is null ? null : WirePath(sender), remote.Path.ToString(), typeId);
        prefix(ref writer);
        var message = new OutboundMessage(head.WrittenMemory, tail, description: $"type id {typeId} with {tail.Length} payload bytes to {remote.Path}",
            headOwner: head, trackCompletion: true);
        Transport.Send(remote.Path.Address, message);
        return message.Completion!;
    }

    internal void SendSystemMessage(RemoteActorRef recipient, SystemMessage message)
    {
        switch (message)
        {
            case Watch watch:
                Send(recipient, new RemoteWatch(recipient.Path.ToString(), WirePath(watch.Watcher)), null);
                break;
            case Unwatch unwatch:
                Send(recipient, new RemoteUnwatch(recipient.Path.ToString(), WirePath(unwatch.Watcher)), null);
                break;
            case DeathWatchNotification notification:
                Send(recipient, new RemoteDeathWatchNotification(WirePath(notification.Actor), recipient.Path.ToString(),
                    notification.ExistenceConfirmed, notification.AddressTerminated), null);
                break;
            // Kernel-internal lifecycle messages have no meaning across nodes.
        }
    }

    /// <inheritdoc />
    public void OnMessage(UniqueAddress from, InboundFrame frame)
    {
        Envelope envelope;
        ActorPath recipient;
        IActorRef? sender = null;
        try
        {
            envelope = EnvelopeSerializer.ReadFrame(frame.Body.Span, Registry);
            recipient = ParsePath(envelope.RecipientPath, "recipient", from);
            if (envelope.SenderPath is { } senderPath) sender = System.Provider.ResolveActorRef(ParsePath(senderPath, "sender", from));
        }
        catch (MessagePackFormatException e)
        {
            throw new RemotingProtocolException($"malformed envelope from {from}: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException)
        {
            throw new RemotingProtocolException($"envelope from {from} could not be decoded: {e.Message}", e);
        }

        switch (envelope.Message)
        {
            case RemoteWatch watch:
                System.Provider.DeliverInboundSystemMessage(recipient,
                    new Watch(System.Provider.ResolveActorRef(recipient), System.Provider.ResolveActorRef(ParsePath(watch.Watcher, "watcher", from))));
                break;
            case RemoteUnwatch unwatch:
                System.Provider.DeliverInboundSystemMessage(recipient,
                    new Unwatch(System.Provider.ResolveActorRef(recipient), System.Provider.ResolveActorRef(ParsePath(unwatch.Watcher, "watcher", from))));
                break;
            case RemoteDeathWatchNotification died:
                System.Provider.DeliverInboundSystemMessage(recipient, new DeathWatchNotification(
                    System.Provider.ResolveActorRef(ParsePath(died.Actor, "actor", from)), died.ExistenceConfirmed, died.AddressTerminated));
                break;
            default:
                System.Provider.DeliverInbound(recipient, envelope.Message, sender);
                break;
        }
    }

    /// <summary>Closes every connection; queued messages go to dead letters.</summary>
    public ValueTask DisposeAsync() => Transport.DisposeAsync();

    private static ActorPath ParsePath(string text, string role, UniqueAddress from) =>
        ActorPath.TryParse(text, out ActorPath path) && path.Address.HasGlobalScope
            ? path
            : throw new RemotingProtocolException($"envelope from {from} has an invalid {role} path '{Truncate(text)}'");

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private void OnDeadLetter(OutboundMessage message, Address recipient, string reason)
    {
        _logger.LogDebug("Undeliverable message to {Recipient}: {Reason}", recipient, reason);
        if (message.Description is DeadLetter deadLetter) System.DeadLetters.Tell(deadLetter, deadLetter.Sender);
    }
}
