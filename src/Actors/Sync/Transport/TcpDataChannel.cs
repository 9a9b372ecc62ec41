using System.Net.Sockets;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Frames over a connected TCP socket: a <see cref="FrameHeader"/> (MessagePack map and bin header, written with
/// MessagePackWriter), then the payload sent straight from the caller's memory. Plain receives land directly in the
/// destination; receive-and-add goes through one reusable scratch buffer.
/// </summary>
internal sealed class TcpDataChannel : IDataChannel
{
    private const int SmallFrameLimit = 16 * 1024;
    private const int ScratchBytes = 256 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _sendScratch = new byte[FrameHeader.MaxBytes + SmallFrameLimit];
    private readonly byte[] _receiveScratch = GC.AllocateUninitializedArray<byte>(ScratchBytes, pinned: true);
    private readonly byte[] _receiveHeader = new byte[FrameHeader.MaxBytes];
    private readonly FrameHeader _sendCodec = new();
    private readonly FrameHeader _receiveCodec = new();

    public TcpDataChannel(Socket socket, int socketBufferBytes)
    {
        _socket = socket;
        Configure(socket, socketBufferBytes);
    }

    public string Kind => "tcp";

    /// <summary>The connected socket (for <see cref="TcpRingPump"/>, which drives it without blocking).</summary>
    internal Socket Socket => _socket;

    /// <summary>NoDelay and large kernel buffers: the data plane streams megabytes.</summary>
    internal static void Configure(Socket socket, int socketBufferBytes)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = socketBufferBytes;
        socket.ReceiveBufferSize = socketBufferBytes;
    }

    public void Send(ReadOnlySpan<byte> payload)
    {
        var header = _sendCodec.Encode(payload.Length);
        if (payload.Length <= SmallFrameLimit)
        {
            // One syscall for small frames (headers, scalars): latency matters there, not copies.
            header.CopyTo(_sendScratch);
            payload.CopyTo(_sendScratch.AsSpan(header.Length));
            SendAll(_sendScratch.AsSpan(0, header.Length + payload.Length));
            return;
        }
        SendAll(header);
        SendAll(payload);
    }

    public void Receive(Span<byte> destination)
    {
        ExpectFrame(destination.Length);
        ReceiveAll(destination);
    }

    public void ReceiveAdd(Span<float> accumulator)
    {
        ExpectFrame(checked(accumulator.Length * sizeof(float)));
        int done = 0;
        while (done < accumulator.Length)
        {
            int count = Math.Min(accumulator.Length - done, ScratchBytes / sizeof(float));
            var bytes = _receiveScratch.AsSpan(0, count * sizeof(float));
            ReceiveAll(bytes);
            var target = accumulator.Slice(done, count);
            TensorPrimitives.Add(target, MemoryMarshal.Cast<byte, float>(bytes), target);
            done += count;
        }
    }

    /// <summary>
    /// Shuts the connection down both ways: blocked and later sends and receives fail at once. The socket is not
    /// closed here: closing a socket that another thread still uses (the ring pump holds a reference to its handle)
    /// waits for that thread, which may itself be waiting for another link's abort. <see cref="Dispose"/> closes it.
    /// </summary>
    public void Abort()
    {
        try { _socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Orderly close: FIN after whatever is still queued, so the peer reads every byte sent before EOF.</summary>
    public void Dispose()
    {
        try { _socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    private void ExpectFrame(int expectedLength)
    {
        ReceiveAll(_receiveHeader.AsSpan(0, FrameHeader.PrefixBytes));
        int length = _receiveCodec.ReadLength(_receiveHeader);
        if (length != expectedLength) throw LengthMismatch(length, expectedLength);
        int size = FrameHeader.SizeFor(length);
        ReceiveAll(_receiveHeader.AsSpan(FrameHeader.PrefixBytes, size - FrameHeader.PrefixBytes));
        _receiveCodec.CheckComplete(_receiveHeader.AsSpan(0, size), length);
    }

    /// <summary>The error for a frame whose length is not the one this rank's collective expects.</summary>
    internal static InvalidDataException LengthMismatch(long length, long expectedLength) =>
        new($"the peer sent a frame of {length} bytes where {expectedLength} were expected; the ranks disagree about the collective");

    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
            data = data[_socket.Send(data, SocketFlags.None)..];
    }

    private void ReceiveAll(Span<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n = _socket.Receive(data, SocketFlags.None);
            if (n == 0) throw new EndOfStreamException("the connection was closed by the peer");
            data = data[n..];
        }
    }
}
