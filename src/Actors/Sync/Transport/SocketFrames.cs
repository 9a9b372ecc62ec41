using System.Net.Sockets;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Small control messages on a socket (hello, hello reply, abort notices), each one frame: a <see cref="FrameHeader"/>
/// and the message. The announced length is checked against the caller's limit before anything is reserved for it.
/// </summary>
internal static class SocketFrames
{
    /// <summary>Control frames of an authenticated link are small; anything larger is a broken peer.</summary>
    public const int MaxControlFrame = 64 * 1024;

    /// <summary>Sends one frame (blocking; control frames fit in the kernel buffer).</summary>
    public static void Send(Socket socket, ReadOnlySpan<byte> payload)
    {
        var header = new FrameHeader().Encode(payload.Length);
        Span<byte> frame = stackalloc byte[header.Length + payload.Length];
        header.CopyTo(frame);
        payload.CopyTo(frame[header.Length..]);
        while (!frame.IsEmpty)
            frame = frame[socket.Send(frame, SocketFlags.None)..];
    }

    /// <summary>
    /// Reads one control frame of at most <paramref name="maxLength"/> bytes (checked before anything is reserved for
    /// it); null on a clean end of stream before a frame started.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Socket socket, CancellationToken cancellationToken, int maxLength = MaxControlFrame)
    {
        var codec = new FrameHeader();
        var header = new byte[FrameHeader.MaxBytes];
        if (!await ReadExactlyAsync(socket, header.AsMemory(0, FrameHeader.PrefixBytes), cancellationToken, allowCleanEnd: true).ConfigureAwait(false))
            return null;
        int length = CheckedLength(codec, header, maxLength);
        int size = FrameHeader.SizeFor(length);
        await ReadExactlyAsync(socket, header.AsMemory(FrameHeader.PrefixBytes, size - FrameHeader.PrefixBytes), cancellationToken, allowCleanEnd: false)
            .ConfigureAwait(false);
        codec.CheckComplete(header.AsSpan(0, size), length);
        var payload = new byte[length];
        await ReadExactlyAsync(socket, payload, cancellationToken, allowCleanEnd: false).ConfigureAwait(false);
        return payload;
    }

    /// <summary>
    /// Reads one control frame without async socket calls, so <paramref name="socket"/> is never registered with
    /// .NET's socket event loop (see <see cref="LinkConnector"/>); null on a clean end of stream before a frame started.
    /// </summary>
    /// <exception cref="TimeoutException">No whole frame arrived within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidDataException">Not a frame, or one larger than <paramref name="maxLength"/> (nothing is reserved for it).</exception>
    public static byte[]? Read(Socket socket, TimeSpan timeout, CancellationToken cancellationToken, int maxLength = MaxControlFrame)
    {
        var deadline = DateTime.UtcNow + timeout;
        var codec = new FrameHeader();
        Span<byte> header = stackalloc byte[FrameHeader.MaxBytes];
        if (!ReadExactly(socket, header[..FrameHeader.PrefixBytes], deadline, cancellationToken, allowCleanEnd: true)) return null;
        int length = CheckedLength(codec, header, maxLength);
        int size = FrameHeader.SizeFor(length);
        ReadExactly(socket, header[FrameHeader.PrefixBytes..size], deadline, cancellationToken, allowCleanEnd: false);
        codec.CheckComplete(header[..size], length);
        var payload = new byte[length];
        ReadExactly(socket, payload, deadline, cancellationToken, allowCleanEnd: false);
        return payload;
    }

    private static int CheckedLength(FrameHeader codec, ReadOnlySpan<byte> header, int maxLength)
    {
        int length = codec.ReadLength(header[..FrameHeader.PrefixBytes]);
        if (length > maxLength)
            throw new InvalidDataException($"control frame of {length} bytes exceeds the {maxLength}-byte limit");
        return length;
    }

    private static bool ReadExactly(Socket socket, Span<byte> buffer, DateTime deadline, CancellationToken cancellationToken, bool allowCleanEnd)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            // poll(2) in short slices: the wait honours the deadline and cancellation, and recv then never blocks.
            while (!socket.Poll(TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (DateTime.UtcNow >= deadline) throw new TimeoutException("no complete control frame arrived in time");
            }
            int n = socket.Receive(buffer[read..], SocketFlags.None);
            if (!Counted(n, read, allowCleanEnd)) return false;
            read += n;
        }
        return true;
    }

    /// <summary>False for a clean end before the first byte (when allowed); throws for an end inside a frame.</summary>
    private static bool Counted(int received, int readSoFar, bool allowCleanEnd)
    {
        if (received != 0) return true;
        if (readSoFar == 0 && allowCleanEnd) return false;
        throw new EndOfStreamException("the connection closed in the middle of a control frame");
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken, bool allowCleanEnd)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (!Counted(n, read, allowCleanEnd)) return false;
            read += n;
        }
        return true;
    }
}
