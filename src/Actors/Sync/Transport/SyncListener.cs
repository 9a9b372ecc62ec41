using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Sync.Transport.AkkaLink;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Accepts the sync connections addressed to one rank or parameter-server shard. Bind it first (port 0 picks a free
/// port), publish <see cref="LocalEndpoint"/> through rendezvous, then create the sync object with it.
/// Connections are matched to waiting accepts by (purpose, connecting rank). Every connection must open with a hello
/// that carries the job's <see cref="DataLinkToken"/>; anything else is dropped after at most
/// <see cref="LinkHello.MaxEncodedBytes"/> were reserved for it, and at most <see cref="MaxPendingHellos"/>
/// connections wait for their hello at once (more are closed on arrival).
/// </summary>
public sealed class SyncListener : IAsyncDisposable
{
    /// <summary>Connections that may be waiting for (or showing) their hello at once.</summary>
    public const int MaxPendingHellos = 64;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly GradientSyncOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(string Purpose, int Rank), PendingLink> _pending = new();
    private readonly TaskCompletionSource<byte[]> _token = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _helloSlots = new(MaxPendingHellos, MaxPendingHellos);
    private readonly Task _acceptLoop;
    private int _disposed;

    private SyncListener(TcpListener listener, GradientSyncOptions options)
    {
        _listener = listener;
        _options = options;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The bound address (with the real port when bound to port 0).</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>
    /// Binds and starts accepting. Throws <see cref="SocketException"/> when the port is taken.
    /// <paramref name="dataLinkToken"/> is the job's token when it is known already; otherwise hand it over with
    /// <see cref="SetDataLinkToken"/> once the rendezvous delivers it (hellos that arrive before wait for it).
    /// </summary>
    public static SyncListener Bind(IPEndPoint endpoint, GradientSyncOptions options, byte[]? dataLinkToken = null)
    {
        options.Validate();
        var listener = new TcpListener(endpoint);
        listener.Start(backlog: 64);
        var bound = new SyncListener(listener, options);
        if (dataLinkToken is not null) bound.SetDataLinkToken(dataLinkToken);
        return bound;
    }

    /// <summary>
    /// Sets the token every connection must present. Once per listener; setting the same token again is allowed,
    /// a different one throws <see cref="InvalidOperationException"/> (one listener serves one job).
    /// </summary>
    public void SetDataLinkToken(byte[] dataLinkToken)
    {
        var token = DataLinkToken.Validate(dataLinkToken, nameof(dataLinkToken)).ToArray();
        if (_token.TrySetResult(token)) return;
        if (!DataLinkToken.Matches(_token.Task.Result, token))
            throw new InvalidOperationException($"the sync listener at {LocalEndpoint} already serves another job (a different data-link token)");
    }

    /// <summary>Waits for the link that <paramref name="fromRank"/> opens for <paramref name="purpose"/>.</summary>
    /// <param name="purpose">What the link is for ("ring", "ps").</param>
    /// <param name="fromRank">The connecting rank.</param>
    /// <param name="peerName">How errors name the peer; null keeps "rank r at its remote address".</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    internal async Task<PeerLink> AcceptAsync(string purpose, int fromRank, string? peerName, CancellationToken cancellationToken)
    {
        var pending = _pending.GetOrAdd((purpose, fromRank), _ => new PendingLink());
        var link = await pending.Completion.Task.WaitAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (peerName is not null) link.PeerName = peerName;
        return link;
    }

    /// <summary>Stops accepting; links already handed out stay open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _listener.Stop();
        try { await _acceptLoop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        foreach (var pending in _pending.Values) pending.Abandon();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            if (!_helloSlots.Wait(0))
            {
                // A flood of connections that do not say hello: close them unread rather than queue them.
                _options.Logger?.LogWarning("Dropped sync connection from {Remote}: {Count} connections are already waiting for their hello",
                    socket.RemoteEndPoint, MaxPendingHellos);
                socket.Dispose();
                continue;
            }
            _ = HandleConnectionAsync(socket);
        }
    }

    private async Task HandleConnectionAsync(Socket socket)
    {
        LinkHello hello;
        byte[] expected;
        try
        {
            // Read synchronously (on a pool thread): an async receive would register the socket with .NET's event
            // loop for good, and a data channel's every segment would then wake that loop and a pool worker.
            byte[] frame = await Task.Run(() => SocketFrames.Read(socket, HelloTimeout, _stop.Token, LinkHello.MaxEncodedBytes)).ConfigureAwait(false)
                ?? throw new EndOfStreamException("connection closed before its hello");
            hello = LinkHello.Decode(frame);
            expected = await _token.Task.WaitAsync(HelloTimeout, _stop.Token).ConfigureAwait(false);
            if (!DataLinkToken.Matches(hello.Token, expected))
                throw new UnauthorizedAccessException("wrong data-link token (the connection belongs to another job, or to no job)");
            if (hello.Group != _options.GroupName)
                throw new InvalidDataException($"group '{hello.Group}' does not match this group '{_options.GroupName}' (setting group-name)");
            if (hello.ActorPath is not null && _options.ActorSystem is null)
                throw new InvalidDataException("the peer asked for an akka data link, but this side runs without an actor system (set transport = akka on every node)");
        }
        catch (Exception ex)
        {
            _options.Logger?.LogWarning("Rejected sync connection from {Remote}: {Reason}", socket.RemoteEndPoint, ex.Message);
            if (ex is UnauthorizedAccessException or InvalidDataException) TryReply(socket, ex.Message);
            socket.Dispose();
            return;
        }
        finally
        {
            ReleaseHelloSlot();
        }

        var pending = _pending.GetOrAdd((hello.Purpose, hello.FromRank), _ => new PendingLink());
        pending.Offer(hello, socket, _options, expected);
    }

    private void ReleaseHelloSlot()
    {
        try { _helloSlots.Release(); }
        catch (ObjectDisposedException) { }
    }

    private static void TryReply(Socket socket, string error)
    {
        try { SocketFrames.Send(socket, LinkHello.EncodeReply(error)); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>The side and (for TCP) data connections of one incoming link, until both are there.</summary>
    private sealed class PendingLink
    {
        private readonly Lock _lock = new();
        private LinkHello? _sideHello;
        private Socket? _side;
        private Socket? _data;

        public TaskCompletionSource<PeerLink> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Offer(LinkHello hello, Socket socket, GradientSyncOptions options, byte[] dataLinkToken)
        {
            lock (_lock)
            {
                bool duplicate = Completion.Task.IsCompleted
                    || (hello.Role == LinkHello.SideRole ? _side is not null : _data is not null);
                if (duplicate)
                {
                    TryReply(socket, $"duplicate connection from rank {hello.FromRank} for '{hello.Purpose}'");
                    socket.Dispose();
                    return;
                }
                if (hello.Role == LinkHello.SideRole) { _side = socket; _sideHello = hello; }
                else _data = socket;
                // Shared memory and akka links carry their data elsewhere: the side connection is all there is.
                if (_side is null || _sideHello is null || (!_sideHello.SharedMemory && _sideHello.ActorPath is null && _data is null)) return;
            }
            Complete(_sideHello, _side, _data, options, dataLinkToken);
        }

        public void Abandon() => Completion.TrySetException(new ObjectDisposedException("the sync listener was closed"));

        private void Complete(LinkHello hello, Socket side, Socket? data, GradientSyncOptions options, byte[] dataLinkToken)
        {
            string provisionalName = $"rank {hello.FromRank} at {side.RemoteEndPoint}";
            IDataChannel channel;
            string? actorPath = null;
            try
            {
                if (hello.ActorPath is not null)
                {
                    // The akka link's messages must carry the same token the hello was checked against.
                    var akka = AkkaDataChannel.Create(options.ActorSystem!, dataLinkToken);
                    channel = akka;
                    try { akka.Connect(hello.ActorPath); }
                    catch { akka.Dispose(); throw; }
                    actorPath = akka.SelfPath;
                }
                else
                {
                    channel = hello.SharedMemory
                        ? SharedMemoryChannel.Open(hello.SharedMemoryPath!, hello.Slots, hello.SlotBytes, options.SpinCount)
                        : new TcpDataChannel(data!, options.SocketBufferBytes);
                }
            }
            catch (Exception ex)
            {
                TryReply(side, $"could not set up the data channel: {ex.Message}");
                side.Dispose();
                data?.Dispose();
                Completion.TrySetException(new IOException($"link from {provisionalName} failed: {ex.Message}", ex));
                return;
            }
            try { SocketFrames.Send(side, LinkHello.EncodeReply(null, actorPath)); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                channel.Dispose();
                side.Dispose();
                Completion.TrySetException(new IOException($"link from {provisionalName} closed during setup: {ex.Message}", ex));
                return;
            }
            Completion.TrySetResult(new PeerLink(provisionalName, hello.FromRank, channel, side));
        }
    }
}
