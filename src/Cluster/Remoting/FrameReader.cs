using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Reads length-prefixed frames from a <see cref="PipeReader"/>. Bodies are copied once, from the pipe's
/// segments into a pooled buffer of exactly the announced size, consuming the pipe as bytes arrive so a
/// 128 MiB frame never sits in the pipe whole. Violations throw <see cref="RemotingProtocolException"/>.
/// </summary>
public sealed class FrameReader
{
    private readonly PipeReader _reader;
    private readonly int _maximumFrameSize;
    private readonly string _peer;

    /// <summary>Creates a reader.</summary>
    /// <param name="reader">Source of bytes.</param>
    /// <param name="maximumFrameSize">Largest body accepted; a larger announced length is a protocol violation.</param>
    /// <param name="peer">Peer description used in error messages (e.g. the remote endpoint).</param>
    public FrameReader(PipeReader reader, int maximumFrameSize, string peer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumFrameSize);
        _reader = reader;
        _maximumFrameSize = maximumFrameSize;
        _peer = peer;
    }

    /// <summary>
    /// Reads the next frame; null when the peer closed the connection cleanly between frames.
    /// </summary>
    /// <exception cref="RemotingProtocolException">Unknown kind, oversized length, or the stream ended mid-frame.</exception>
    public async ValueTask<InboundFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        FrameKind kind;
        int length;
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= FrameFormat.HeaderSize)
            {
                (kind, length) = ParseHeader(buffer);
                _reader.AdvanceTo(buffer.GetPosition(FrameFormat.HeaderSize));
                break;
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.End);
                if (buffer.Length == 0) return null;
                throw new RemotingProtocolException(
                    $"connection from {_peer} ended inside a frame header ({buffer.Length} of {FrameFormat.HeaderSize} bytes)");
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }

        byte[] body = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        int filled = 0;
        try
        {
            while (filled < length)
            {
                ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                long take = Math.Min(buffer.Length, length - filled);
                ReadOnlySequence<byte> slice = buffer.Slice(0, take);
                slice.CopyTo(body.AsSpan(filled));
                filled += (int)take;
                _reader.AdvanceTo(slice.End);
                if (filled < length && (result.IsCompleted || result.IsCanceled))
                {
                    throw new RemotingProtocolException(
                        $"connection from {_peer} ended inside a {kind} frame ({filled} of {length} body bytes received)");
                }
            }
        }
        catch
        {
            if (body.Length > 0) ArrayPool<byte>.Shared.Return(body);
            throw;
        }
        return new InboundFrame(kind, body, length);
    }

    private (FrameKind Kind, int Length) ParseHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[FrameFormat.HeaderSize];
        buffer.Slice(0, FrameFormat.HeaderSize).CopyTo(header);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        byte kind = header[4];
        if (!FrameFormat.IsKnownKind(kind))
        {
            throw new RemotingProtocolException(
                $"connection from {_peer} sent a frame of unknown kind 0x{kind:X2} (not an ActorTrain peer, or garbage)");
        }
        if (length > (uint)_maximumFrameSize)
        {
            throw new RemotingProtocolException(
                $"connection from {_peer} announced a {length}-byte {(FrameKind)kind} frame, over the maximum frame size of " +
                $"{_maximumFrameSize} bytes (raise actortrain.remote.maximum-frame-size on every node if this is legitimate)");
        }
        return ((FrameKind)kind, (int)length);
    }
}
