using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ActorTrain.Cluster.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// TCP remoting endpoint of one node: a listener whose inbound connections are handshaken and then deliver
/// message frames to an <see cref="IInboundMessageHandler"/>, and one outbound <see cref="Association"/> per
/// remote address for sending. A connection that breaks the protocol is closed with a logged reason; the
/// listener and every other connection carry on.
/// </summary>
public sealed class RemoteTransport : IAsyncDisposable
{
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly DeadLetterHandler _deadLetters;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Address, Association> _associations = new();
    private readonly ConcurrentDictionary<InboundConnection, byte> _inbound = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private HandshakeProtocol? _handshake;
    private IInboundMessageHandler? _handler;
    private int _pendingHandshakes;
    private long _rejectedConnections;

    /// <summary>Creates a transport; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="options">Bind address, limits, secret and timeouts.</param>
    /// <param name="loggerFactory">Source of the <c>ActorTrain.Cluster.Remoting</c> logger.</param>
    /// <param name="deadLetters">Receives messages that could not be sent; by default they are only logged.</param>
    public RemoteTransport(TransportOptions options, ILoggerFactory loggerFactory, DeadLetterHandler? deadLetters = null)
    {
        options.Validate();
        _options = options;
        _logger = loggerFactory.CreateLogger("ActorTrain.Cluster.Remoting");
        _deadLetters = deadLetters ?? ((message, recipient, reason) =>
            _logger.LogDebug("Dead letter to {Recipient}: {Message} ({Reason})", recipient, message.Description, reason));
    }

    /// <summary>This node's address and uid; valid after <see cref="Start"/>.</summary>
    public UniqueAddress LocalAddress { get; private set; } = null!;

    /// <summary>The options this transport runs with.</summary>
    public TransportOptions Options => _options;

    /// <summary>Inbound connections closed for a protocol violation or a refused handshake since start.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    /// <summary>Inbound connections currently open.</summary>
    public int InboundConnectionCount => _inbound.Count;

    /// <summary>
    /// Binds the listener (port 0 picks a free one) and starts accepting. <paramref name="handler"/> receives the
    /// message frames of every authenticated inbound connection.
    /// </summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound; the message names it.</exception>
    public UniqueAddress Start(IInboundMessageHandler handler, long? uid = null)
    {
        if (_listener is not null) throw new InvalidOperationException("the remoting transport is already started");
        _handler = handler;
        IPAddress bindAddress = ResolveBindAddress(_options.Hostname);
        var listener = new Socket(bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(bindAddress, _options.Port));
            listener.Listen(1024);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new SocketException((int)e.SocketErrorCode,
                $"cannot listen on {_options.Hostname}:{_options.Port} ({e.Message}); pick another actortrain.remote.port or stop the process using it");
        }
        _listener = listener;
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        LocalAddress = new UniqueAddress(Address.Network(_options.SystemName, _options.AdvertisedHostname, port), uid ?? NewUid());
        _handshake = new HandshakeProtocol(LocalAddress, _options.Secret);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _logger.LogInformation("Remoting listening on {Endpoint} as {Address}{Secret}", listener.LocalEndPoint, LocalAddress,
            string.IsNullOrEmpty(_options.Secret) ? "" : " (cluster secret required)");
        return LocalAddress;
    }

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="recipient"/> on that address's association (created on
    /// first use). Returns false, after handing the message to dead letters, when it is larger than the maximum
    /// frame size, the queue is full, or the transport is shut down.
    /// </summary>
    public bool Send(Address recipient, OutboundMessage message)
    {
        if (!recipient.HasGlobalScope) throw new ArgumentException($"cannot send to local-only address {recipient}", nameof(recipient));
        if (message.Length > _options.MaximumFrameSize)
        {
            string reason = $"the message is {message.Length} bytes, over the maximum frame size of {_options.MaximumFrameSize} bytes";
            _logger.LogWarning("Dropping message to {Recipient}: {Reason}", recipient, reason);
            message.Complete(written: false);
            _deadLetters(message, recipient, reason);
            return false;
        }
        if (_shutdown.IsCancellationRequested)
        {
            message.Complete(written: false);
            _deadLetters(message, recipient, "the remoting transport is shut down");
            return false;
        }
        Association association = _associations.GetOrAdd(recipient,
            static (address, self) => new Association(address, self._options, self._handshake!, self._deadLetters, self._logger, self._shutdown.Token), this);
        return association.Enqueue(message);
    }

    /// <summary>The remote node's identity as of the last handshake on the outbound association, if any.</summary>
    public UniqueAddress? PeerOf(Address address) => _associations.TryGetValue(address, out var a) ? a.Peer : null;

    /// <summary>Stops listening, closes every connection and sends still-queued messages to dead letters.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_shutdown.IsCancellationRequested) return;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (InboundConnection connection in _inbound.Keys) await connection.CloseAsync().ConfigureAwait(false);
        await Task.WhenAll(_associations.Values.Select(a => a.Loop)).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before accept completed, or fd exhaustion: keep serving.
                _logger.LogWarning("Accept failed on {Address}: {Reason}", LocalAddress.Address, e.Message);
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }
            if (Interlocked.Increment(ref _pendingHandshakes) > _options.MaximumPendingHandshakes)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                Interlocked.Increment(ref _rejectedConnections);
                _logger.LogWarning("Closing inbound connection from {Endpoint}: more than {Max} handshakes in progress",
                    socket.RemoteEndPoint, _options.MaximumPendingHandshakes);
                socket.Dispose();
                continue;
            }
            var connection = new InboundConnection(new TcpConnection(socket, _options.MaximumFrameSize), this);
            _inbound.TryAdd(connection, 0);
            _ = connection.RunAsync();
        }
    }

    internal HandshakeProtocol Handshake => _handshake!;

    internal IInboundMessageHandler Handler => _handler!;

    internal ILogger Logger => _logger;

    internal CancellationToken ShutdownToken => _shutdown.Token;

    internal void HandshakeFinished() => Interlocked.Decrement(ref _pendingHandshakes);

    internal void ConnectionRejected() => Interlocked.Increment(ref _rejectedConnections);

    internal void ConnectionClosed(InboundConnection connection) => _inbound.TryRemove(connection, out _);

    private static IPAddress ResolveBindAddress(string host)
    {
        if (IPAddress.TryParse(host, out IPAddress? ip)) return ip;
        if (host == "localhost") return IPAddress.Loopback;
        IPAddress[] addresses = Dns.GetHostAddresses(host);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new ArgumentException($"actortrain.remote.hostname '{host}' does not resolve to an IP address");
    }

    private static long NewUid()
    {
        long uid;
        do uid = Random.Shared.NextInt64();
        while (uid == 0);
        return uid;
    }
}
