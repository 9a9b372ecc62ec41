using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Akka.Actor;

namespace ActorTrain.Actors.Sync.Transport.AkkaLink;

/// <summary>
/// Frames as Akka messages through Akka.Remote (transport <c>akka</c>): the pure actor path of the data plane.
/// <see cref="Send"/> cuts a frame into <see cref="DataChunk"/>s of at most <see cref="ChunkBytes"/> and tells them to
/// the peer's link actor; this side's <see cref="AkkaLinkActor"/> queues the peer's chunks for <see cref="Receive"/>.
/// Credit-based flow control: a sender has <see cref="CreditWindow"/> chunks in flight at most and gets a credit back
/// per chunk the receiver consumed, so a receiver holds at most that many chunks per link.
/// Akka keeps the order of messages between one pair of actors, so chunks arrive in the order sent.
/// </summary>
internal sealed class AkkaDataChannel : IDataChannel
{
    /// <summary>Chunks a sender may have in flight (and a receiver may hold) per link direction.</summary>
    public const int CreditWindow = 4;

    /// <summary>
    /// Room left in each Akka.Remote frame for what wraps a chunk: the envelope with both actor paths, the serializer
    /// manifest and the chunk's own fields (token, sequence, lengths). A few hundred bytes in practice.
    /// </summary>
    public const int EnvelopeReserveBytes = 8 * 1024;

    private readonly ActorSystem _system;
    private readonly byte[] _token;
    private readonly BlockingCollection<DataChunk> _inbox = new(new ConcurrentQueue<DataChunk>());
    private readonly SemaphoreSlim _credits = new(CreditWindow, int.MaxValue);
    private readonly CancellationTokenSource _aborted = new();
    private IActorRef _peer = ActorRefs.Nobody;
    private string _abortReason = "the link was aborted";
    private long _sendSequence;
    private long _receiveSequence;
    private int _disposed;

    private AkkaDataChannel(ActorSystem system, byte[] token, int chunkBytes)
    {
        _system = system;
        _token = token;
        ChunkBytes = chunkBytes;
        Self = system.ActorOf(AkkaLinkActor.Props(this), $"data-link-{Guid.NewGuid():N}");
    }

    /// <summary>
    /// Creates this side's end (and its link actor) before the peer is known; publish <see cref="SelfPath"/> in the
    /// hello, then <see cref="Connect"/> with the peer's path. Chunks are sized from the system's
    /// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c>.
    /// </summary>
    public static AkkaDataChannel Create(ActorSystem system, byte[] dataLinkToken)
    {
        long frame = system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null) ?? 128 * 1024;
        int chunk = (int)Math.Max(1024, Math.Min(int.MaxValue, frame) - EnvelopeReserveBytes);
        return new AkkaDataChannel(system, DataLinkToken.Validate(dataLinkToken, nameof(dataLinkToken)).ToArray(), chunk);
    }

    /// <inheritdoc />
    public string Kind => "akka";

    /// <summary>Largest piece of a frame per Akka message.</summary>
    public int ChunkBytes { get; }

    /// <summary>This side's link actor.</summary>
    public IActorRef Self { get; }

    /// <summary>The full remote path of this side's link actor, for the peer's hello.</summary>
    public string SelfPath => Self.Path.ToStringWithAddress(((ExtendedActorSystem)_system).Provider.DefaultAddress);

    /// <summary>Points this end at the peer's link actor (from the hello or its reply).</summary>
    public void Connect(string peerActorPath)
    {
        if (!ActorPath.TryParse(peerActorPath, out var path))
            throw new InvalidDataException($"the peer's link actor path '{peerActorPath}' is not an Akka actor path");
        // The provider resolves a remote path without a round trip, as it does for the senders of incoming messages.
        _peer = ((ExtendedActorSystem)_system).Provider.ResolveActorRef(path);
    }

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> payload)
    {
        long sequence = _sendSequence++;
        int offset = 0;
        do
        {
            try { _credits.Wait(_aborted.Token); }
            catch (OperationCanceledException) { throw Aborted(); }
            int length = Math.Min(ChunkBytes, payload.Length - offset);
            _peer.Tell(new DataChunk(_token, sequence, payload.Length, offset, payload.Slice(offset, length).ToArray()), Self);
            offset += length;
        }
        while (offset < payload.Length);
    }

    /// <inheritdoc />
    public void Receive(Span<byte> destination)
    {
        long sequence = _receiveSequence++;
        int offset = 0;
        do
        {
            var chunk = Take(sequence, destination.Length, offset);
            chunk.Bytes.CopyTo(destination[offset..]);
            offset += chunk.Bytes.Length;
        }
        while (offset < destination.Length);
    }

    /// <inheritdoc />
    public void ReceiveAdd(Span<float> accumulator)
    {
        long sequence = _receiveSequence++;
        int length = checked(accumulator.Length * sizeof(float));
        var bytes = MemoryMarshal.AsBytes(accumulator);
        int offset = 0;
        do
        {
            var chunk = Take(sequence, length, offset);
            if (chunk.Bytes.Length % sizeof(float) != 0 || offset % sizeof(float) != 0)
                throw new InvalidDataException($"a data chunk of {chunk.Bytes.Length} bytes at offset {offset} splits a float");
            var target = accumulator.Slice(offset / sizeof(float), chunk.Bytes.Length / sizeof(float));
            TensorPrimitives.Add(target, MemoryMarshal.Cast<byte, float>(chunk.Bytes.AsSpan()), target);
            offset += chunk.Bytes.Length;
        }
        while (offset < bytes.Length);
    }

    /// <summary>Makes blocked and later operations fail at once and tells the peer (best effort); safe from any thread.</summary>
    public void Abort()
    {
        if (!AbortLocally("this side aborted the link")) return;
        _peer.Tell(new DataLinkAborted(_token, "the peer aborted the link"), Self);
    }

    /// <summary>Stops the link actor; blocked operations fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        AbortLocally("the link was closed");
        _system.Stop(Self);
    }

    internal bool Authentic(byte[]? token) => token is not null && DataLinkToken.Matches(token, _token);

    internal void OnChunk(DataChunk chunk)
    {
        try { _inbox.Add(chunk); }
        catch (InvalidOperationException) { } // completed: the link is aborted or closed
    }

    internal void OnCredit(int chunks)
    {
        if (chunks > 0 && chunks <= CreditWindow) _credits.Release(chunks);
    }

    internal void OnPeerAborted(string reason) => AbortLocally(reason);

    private bool AbortLocally(string reason)
    {
        lock (_aborted)
        {
            if (_aborted.IsCancellationRequested) return false;
            _abortReason = reason;
            _aborted.Cancel();
        }
        _inbox.CompleteAdding();
        return true;
    }

    /// <summary>The next chunk of frame <paramref name="sequence"/>; checks it continues that frame at <paramref name="offset"/>.</summary>
    private DataChunk Take(long sequence, int expectedLength, int offset)
    {
        DataChunk chunk;
        try { chunk = _inbox.Take(_aborted.Token); }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException) { throw Aborted(); }
        _peer.Tell(new ChunkCredit(_token, 1), Self);
        if (chunk.FrameLength != expectedLength) throw TcpDataChannel.LengthMismatch(chunk.FrameLength, expectedLength);
        if (chunk.FrameSequence != sequence || chunk.Offset != offset || chunk.Bytes is null
            || chunk.Bytes.Length > expectedLength - offset || (chunk.Bytes.Length == 0 && expectedLength != 0))
            throw new InvalidDataException(
                $"data chunk out of order: got frame {chunk.FrameSequence} offset {chunk.Offset} ({chunk.Bytes?.Length ?? 0} bytes), expected frame {sequence} offset {offset} of {expectedLength}");
        return chunk;
    }

    private IOException Aborted() => new($"the akka data link was aborted: {_abortReason}");
}
