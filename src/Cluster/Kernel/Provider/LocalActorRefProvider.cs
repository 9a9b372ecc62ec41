using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

/// <summary>The kernel's provider: walks the local actor tree, keeps Ask reply-tos under /temp, delegates other addresses to remoting.</summary>
internal sealed class LocalActorRefProvider : IActorRefProvider
{
    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, PromiseActorRef> _temp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ActorCell, byte> _remoteWatchers = new();
    private readonly ActorPath _tempPath;
    private IRemoteTransport? _transport;
    private Address? _boundAddress;
    private long _nextTempId;

    public LocalActorRefProvider(ActorSystem system, Address localAddress)
    {
        _system = system;
        LocalAddress = localAddress;
        var root = ActorPath.Root(localAddress);
        _tempPath = root.Child("temp");
        DeadLettersRef = new DeadLetterActorRef(system, root.Child("deadLetters"));
    }

    public Address LocalAddress { get; }

    public Address DefaultAddress => _boundAddress ?? LocalAddress;

    public IRemoteTransport? Transport => _transport;

    public IActorRef DeadLetters => DeadLettersRef;

    internal DeadLetterActorRef DeadLettersRef { get; }

    internal ActorCell? RootCell { get; set; }

    public bool IsLocalAddress(Address address) => address.Equals(LocalAddress) || address.Equals(_boundAddress);

    public void AttachTransport(IRemoteTransport transport, Address boundAddress)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(boundAddress);
        if (boundAddress.System != LocalAddress.System)
            throw new ArgumentException(
                $"Bound address {boundAddress} names system '{boundAddress.System}' but this system is '{LocalAddress.System}'.", nameof(boundAddress));
        _boundAddress = boundAddress;
        if (Interlocked.CompareExchange(ref _transport, transport, null) is not null)
            throw new InvalidOperationException($"Actor system {LocalAddress.System} already has a remote transport attached.");
    }

    public IActorRef ResolveActorRef(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ResolveActorRef(path.StartsWith('/') ? ActorPath.FromElements(LocalAddress, path) : ActorPath.Parse(path));
    }

    public IActorRef ResolveActorRef(ActorPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsLocalAddress(path.Address)) return ResolveLocal(path);
        var transport = _transport ?? throw new InvalidOperationException(
            $"Cannot reach {path}: actor system {LocalAddress.System} has no remote transport (it is local-only). Start remoting on this node first.");
        return transport.ResolveActorRef(path);
    }

    private IActorRef ResolveLocal(ActorPath path)
    {
        var elements = path.Elements;
        var root = RootCell!;
        if (elements.Count == 0) return root.SelfRef;
        if (elements.Count == 1 && elements[0] == "deadLetters") return DeadLettersRef;
        if (elements.Count == 2 && elements[0] == "temp" && _temp.TryGetValue(elements[1], out var promise)) return promise;
        LocalActorRef current = root.SelfRef;
        foreach (var name in elements)
        {
            if (current.Cell.GetChild(name) is not { } child)
                return new EmptyLocalActorRef(_system, path.WithAddress(LocalAddress));
            current = child;
        }
        return current;
    }

    public void DeliverInbound(ActorPath recipient, object message, IActorRef? sender)
    {
        if (!IsLocalAddress(recipient.Address))
        {
            _system.KernelLog.LogWarning("Dropped inbound {MessageType} for {Recipient}: that address is not this node ({Address})",
                message.GetType().Name, recipient, DefaultAddress);
            _system.PublishDeadLetter(message, sender, DeadLettersRef);
            return;
        }
        ResolveLocal(recipient).Tell(message, sender);
    }

    public void DeliverInboundSystemMessage(ActorPath recipient, SystemMessage message)
    {
        if (IsLocalAddress(recipient.Address)) ResolveLocal(recipient).SendSystemMessage(message);
    }

    public void NotifyAddressTerminated(Address address)
    {
        foreach (var cell in _remoteWatchers.Keys) cell.SelfRef.SendSystemMessage(new AddressTerminated(address));
    }

    internal void RegisterRemoteWatcher(ActorCell cell) => _remoteWatchers.TryAdd(cell, 0);

    internal void UnregisterRemoteWatcher(ActorCell cell) => _remoteWatchers.TryRemove(cell, out _);

    internal PromiseActorRef CreatePromise()
    {
        string name = "$" + Interlocked.Increment(ref _nextTempId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var promise = new PromiseActorRef(_system, _tempPath.Child(name));
        _temp[name] = promise;
        return promise;
    }

    internal void RemovePromise(PromiseActorRef promise) => _temp.TryRemove(promise.Path.Name, out _);
}
