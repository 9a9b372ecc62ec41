using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Sync.Transport.AkkaLink;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>Opens a <see cref="PeerLink"/> to a peer's <see cref="SyncListener"/>, retrying while the peer starts up.</summary>
internal static class LinkConnector
{
    /// <summary>
    /// Connects to <paramref name="target"/>: the side connection carries the hello (and, for shared memory, the path
    /// of the file this side created; for Akka, this side's link actor); for TCP a second connection becomes the data
    /// channel. Both hellos present <paramref name="dataLinkToken"/>.
    /// </summary>
    public static async Task<PeerLink> ConnectAsync(
        PeerEndpoint target, string peerName, int? peerRank, string purpose, int fromRank, LinkChannel channelKind,
        byte[] dataLinkToken, GradientSyncOptions options, CancellationToken cancellationToken)
    {
        DataLinkToken.Validate(dataLinkToken, nameof(dataLinkToken));
        var clock = Stopwatch.StartNew();
        IPEndPoint address = await ResolveAsync(target, cancellationToken).ConfigureAwait(false);
        Socket? side = null, data = null;
        SharedMemoryChannel? shared = null;
        AkkaDataChannel? akka = null;
        string? path = null;
        bool sharedMemory = channelKind == LinkChannel.SharedMemory;
        try
        {
            side = await ConnectWithRetryAsync(address, peerName, clock, options, cancellationToken).ConfigureAwait(false);
            if (sharedMemory)
            {
                path = Path.Combine(options.SharedMemoryDirectory, $"actortrain-sync-{Environment.ProcessId}-{Guid.NewGuid():N}.shm");
                shared = SharedMemoryChannel.Create(path, options.SharedMemorySlots, options.SharedMemorySlotBytes, options.SpinCount);
            }
            if (channelKind == LinkChannel.Akka) akka = AkkaDataChannel.Create(options.ActorSystem!, dataLinkToken);
            var hello = new LinkHello(dataLinkToken, options.GroupName, purpose, fromRank, LinkHello.SideRole, sharedMemory, path,
                options.SharedMemorySlots, options.SharedMemorySlotBytes, akka?.SelfPath);
            SocketFrames.Send(side, hello.Encode());
            if (channelKind == LinkChannel.Tcp)
            {
                data = await ConnectWithRetryAsync(address, peerName, clock, options, cancellationToken, outsideEventLoop: true).ConfigureAwait(false);
                SocketFrames.Send(data, (hello with { Role = LinkHello.DataRole, SharedMemoryPath = null }).Encode());
            }

            using var replyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            replyTimeout.CancelAfter(Remaining(clock, options));
            byte[] reply = await SocketFrames.ReadAsync(side, replyTimeout.Token, LinkHello.MaxEncodedBytes).ConfigureAwait(false)
                ?? throw new IOException($"{peerName} closed the sync connection during setup");
            if (LinkHello.DecodeReply(reply, out string? peerActor) is string refusal)
                throw new IOException($"{peerName} refused the sync connection: {refusal}");
            if (akka is not null)
                akka.Connect(peerActor ?? throw new IOException($"{peerName} accepted an akka link without naming its link actor"));

            IDataChannel channel = shared ?? akka ?? (IDataChannel)new TcpDataChannel(data!, options.SocketBufferBytes);
            return new PeerLink(peerName, peerRank, channel, side);
        }
        catch
        {
            shared?.Dispose();
            akka?.Dispose();
            side?.Dispose();
            data?.Dispose();
            throw;
        }
        finally
        {
            // Both sides have it mapped (or setup failed): unlink so nothing outlives the processes.
            if (path is not null) File.Delete(path);
        }
    }

    private static async Task<IPEndPoint> ResolveAsync(PeerEndpoint target, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(target.Host, out var ip)) return new IPEndPoint(ip, target.Port);
        var addresses = await Dns.GetHostAddressesAsync(target.Host, cancellationToken).ConfigureAwait(false);
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new IOException($"host '{target.Host}' of rank {target.Rank} has no address");
        return new IPEndPoint(chosen, target.Port);
    }

    // outsideEventLoop: a blocking connect instead of an async one, for data channels. A socket that ever ran an
    // async operation stays registered with .NET's epoll loop, which then wakes (and hands a thread-pool worker) for
    // every segment that arrives: with four ranks on two cores that made the TCP ring 30-40 % slower.
    private static async Task<Socket> ConnectWithRetryAsync(
        IPEndPoint address, string peerName, Stopwatch clock, GradientSyncOptions options, CancellationToken cancellationToken,
        bool outsideEventLoop = false)
    {
        while (true)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(Remaining(clock, options));
                if (outsideEventLoop) await Task.Run(() => ConnectBlocking(socket, address, Remaining(clock, options)), attempt.Token).ConfigureAwait(false);
                else await socket.ConnectAsync(address, attempt.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                if (clock.Elapsed >= options.ConnectTimeout)
                    throw new TimeoutException(
                        $"{peerName} was not reachable at {address} within {options.ConnectTimeout.TotalSeconds:0.#} s (setting connect-timeout): is that process running, and is the endpoint right?", ex);
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A blocking connect(2), bounded by SO_SNDTIMEO (Linux applies it to connect), in slices of at most a second so the
    /// retry loop sees cancellation. Not a non-blocking connect: .NET keeps a socket that was ever set non-blocking
    /// in that mode and emulates blocking calls through the event loop.
    /// </summary>
    private static void ConnectBlocking(Socket socket, IPEndPoint address, TimeSpan timeout)
    {
        socket.SendTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, 1000);
        socket.Connect(address);
        socket.SendTimeout = 0; // data-channel sends block until the peer reads
    }

    private static TimeSpan Remaining(Stopwatch clock, GradientSyncOptions options)
    {
        var left = options.ConnectTimeout - clock.Elapsed;
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }
}
