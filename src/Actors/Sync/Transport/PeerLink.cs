using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// One established connection to a peer: a data channel (TCP or shared memory) plus a side TCP connection that
/// carries only control traffic. The side connection is the liveness check (it ends when the peer process dies) and
/// the path for abort notices, which cannot be inserted into a data stream that is in the middle of a frame.
/// An <c>akka</c> link keeps this small side socket too: Akka.Remote's association tells no one which data link a
/// dead peer broke, nor at once (its failure detector takes seconds), while a closed socket does both within
/// milliseconds. Its data still travels only as Akka messages.
/// </summary>
public sealed class PeerLink : IDisposable
{
    private readonly Socket _side;
    private readonly Lock _sideSendLock = new();
    private readonly CancellationTokenSource _sideReaderStop = new();
    private readonly byte[] _headerScratch = new byte[CollectiveHeader.EncodedSize];
    private readonly FixedBufferWriter _headerWriter = new(CollectiveHeader.EncodedSize);
    private int _disposed;

    internal PeerLink(string peerName, int? peerRank, IDataChannel channel, Socket side)
    {
        PeerName = peerName;
        PeerRank = peerRank;
        Channel = channel;
        _side = side;
        // Notices are tiny and fit the kernel buffer; the bound only matters for a peer that stopped reading, which
        // must not hold up the failure it is being told about.
        _side.SendTimeout = (int)SideSendBound.TotalMilliseconds;
    }

    private static readonly TimeSpan SideSendBound = TimeSpan.FromSeconds(2);

    /// <summary>The peer in words: "rank 2 at 127.0.0.1:5002 on machine m".</summary>
    public string PeerName { get; internal set; }

    /// <summary>The peer's rank, or null for a parameter-server shard.</summary>
    public int? PeerRank { get; }

    /// <summary>The data channel.</summary>
    public IDataChannel Channel { get; }

    /// <summary>Sends one data frame.</summary>
    public void Send(ReadOnlySpan<byte> payload)
    {
        try { Channel.Send(payload); }
        catch (Exception ex) when (ex is not PeerLinkBrokenException) { throw new PeerLinkBrokenException(this, ex); }
        TransportByteCounters.AddSent(Channel.Kind, payload.Length);
    }

    /// <summary>Sends floats as one data frame, straight from their memory.</summary>
    public void Send(ReadOnlySpan<float> payload) => Send(MemoryMarshal.AsBytes(payload));

    /// <summary>Receives one data frame of exactly <c>destination.Length</c> bytes.</summary>
    public void Receive(Span<byte> destination)
    {
        try { Channel.Receive(destination); }
        catch (Exception ex) when (ex is not PeerLinkBrokenException) { throw new PeerLinkBrokenException(this, ex); }
        TransportByteCounters.AddReceived(Channel.Kind, destination.Length);
    }

    /// <summary>Receives floats into <paramref name="destination"/>.</summary>
    public void Receive(Span<float> destination) => Receive(MemoryMarshal.AsBytes(destination));

    /// <summary>Receives a frame of floats and adds it into <paramref name="accumulator"/>.</summary>
    public void ReceiveAdd(Span<float> accumulator)
    {
        try { Channel.ReceiveAdd(accumulator); }
        catch (Exception ex) when (ex is not PeerLinkBrokenException) { throw new PeerLinkBrokenException(this, ex); }
        TransportByteCounters.AddReceived(Channel.Kind, accumulator.Length * sizeof(float));
    }

    /// <summary>Sends the header that announces a collective.</summary>
    internal void SendHeader(in CollectiveHeader header)
    {
        _headerWriter.Reset();
        header.Encode(_headerWriter);
        Send(_headerWriter.Written);
    }

    /// <summary>Receives the peer's collective header and checks it announces the same collective as <paramref name="expected"/>.</summary>
    internal void ReceiveHeader(in CollectiveHeader expected, string expectedBy = "this rank")
    {
        var actual = ReceiveAnyHeader();
        if (actual != expected)
            throw new PeerLinkBrokenException(this, new InvalidDataException(
                $"the ranks disagree about the collective: it called {actual.Describe()}, {expectedBy} called {expected.Describe()}"));
    }

    /// <summary>Receives the peer's collective header, whatever it announces.</summary>
    internal CollectiveHeader ReceiveAnyHeader()
    {
        Receive(_headerScratch.AsSpan());
        try { return CollectiveHeader.Decode(_headerScratch); }
        catch (InvalidDataException ex) { throw new PeerLinkBrokenException(this, ex); }
    }

    /// <summary>Starts reading the side connection; <paramref name="onMessage"/> gets the first abort, goodbye or loss.</summary>
    internal void StartSideReader(Action<PeerLink, SideMessage> onMessage) => _ = ReadSideAsync(onMessage);

    /// <summary>Tells the peer the group failed and who is responsible (best effort).</summary>
    internal void SendAbortNotice(CollectiveFailedException failure) =>
        SendSide(new SideMessage(SideMessageKind.Abort, failure.FailedRank, failure.FailedPeer, failure.Reason).Encode());

    /// <summary>Tells the peer this side is shutting down in order (best effort).</summary>
    internal void SendGoodbye() => SendSide(new SideMessage(SideMessageKind.Goodbye, null, null, "left the group").Encode());

    /// <summary>Unblocks data operations (they fail); the side connection stays for notices until disposal.</summary>
    internal void Abort() => Channel.Abort();

    /// <summary>Closes both connections and unmaps shared memory. Call only when no data operation is running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _sideReaderStop.Cancel();
        Channel.Dispose();
        _side.Dispose();
        _sideReaderStop.Dispose();
    }

    private void SendSide(byte[] message)
    {
        lock (_sideSendLock)
        {
            try { SocketFrames.Send(_side, message); }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }
    }

    private async Task ReadSideAsync(Action<PeerLink, SideMessage> onMessage)
    {
        SideMessage message;
        try
        {
            byte[]? frame = await SocketFrames.ReadAsync(_side, _sideReaderStop.Token).ConfigureAwait(false);
            message = frame is null
                ? new SideMessage(SideMessageKind.Lost, PeerRank, PeerName, "its connection closed without notice (process exited or was killed)")
                : Parse(frame);
        }
        catch (OperationCanceledException) { return; }
        catch (ObjectDisposedException) { return; }
        catch (Exception ex)
        {
            message = new SideMessage(SideMessageKind.Lost, PeerRank, PeerName, $"its connection failed ({ex.Message})");
        }
        if (Volatile.Read(ref _disposed) == 0) onMessage(this, message);
    }

    private SideMessage Parse(byte[] frame)
    {
        var message = SideMessage.Decode(frame);
        return message.Kind switch
        {
            SideMessageKind.Abort => message,
            SideMessageKind.Goodbye => message with { FailedRank = PeerRank, FailedPeer = PeerName },
            _ => throw new InvalidDataException($"unknown side message kind {(int)message.Kind}"),
        };
    }
}
