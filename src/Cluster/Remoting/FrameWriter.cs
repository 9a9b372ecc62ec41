using System.Buffers;
using System.IO.Pipelines;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Writes length-prefixed frames. Headers and small bodies are gathered in a <see cref="PipeWriter"/> and
/// sent in batches on <see cref="FlushAsync"/>; a large tail (e.g. a gradient bucket) is written straight from
/// the caller's memory to the stream after flushing what precedes it, so its bytes are never copied.
/// Not thread-safe: one writer loop owns it.
/// </summary>
public sealed class FrameWriter
{
    /// <summary>Tails at least this long bypass the pipe and go to the stream directly.</summary>
    public const int DirectWriteThreshold = 32 * 1024;

    private readonly Stream _stream;
    private readonly PipeWriter _pipe;
    private readonly int _maximumFrameSize;

    /// <summary>Creates a writer over <paramref name="stream"/>.</summary>
    public FrameWriter(Stream stream, int maximumFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumFrameSize);
        _stream = stream;
        _pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        _maximumFrameSize = maximumFrameSize;
    }

    /// <summary>Bytes buffered and not yet flushed.</summary>
    public long UnflushedBytes => _pipe.UnflushedBytes;

    /// <summary>
    /// Writes one frame whose body is <paramref name="head"/> followed by <paramref name="tail"/>.
    /// Small frames are only buffered; call <see cref="FlushAsync"/> to send them.
    /// </summary>
    /// <exception cref="ArgumentException">The body exceeds the maximum frame size.</exception>
    public async ValueTask WriteFrameAsync(FrameKind kind, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail,
        CancellationToken cancellationToken)
    {
        long length = (long)head.Length + tail.Length;
        if (length > _maximumFrameSize)
        {
            throw new ArgumentException(
                $"a {kind} frame of {length} bytes exceeds the maximum frame size of {_maximumFrameSize} bytes " +
                "(raise actortrain.remote.maximum-frame-size on every node, or send smaller buckets)");
        }
        Span<byte> header = _pipe.GetSpan(FrameFormat.HeaderSize);
        FrameFormat.WriteHeader(header, kind, (int)length);
        _pipe.Advance(FrameFormat.HeaderSize);
        if (!head.IsEmpty) _pipe.Write(head.Span);
        if (tail.IsEmpty) return;
        if (tail.Length < DirectWriteThreshold)
        {
            _pipe.Write(tail.Span);
            return;
        }
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one frame from a single body.</summary>
    public ValueTask WriteFrameAsync(FrameKind kind, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        WriteFrameAsync(kind, body, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Sends every buffered byte to the stream.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_pipe.UnflushedBytes == 0) return;
        FlushResult result = await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled) throw new OperationCanceledException(cancellationToken);
    }
}
