using System.Buffers;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// One received frame whose body lives in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Dispose returns the buffer; a consumer that must keep the bytes longer calls <see cref="DetachBody"/>.
/// </summary>
public sealed class InboundFrame : IDisposable
{
    private byte[]? _buffer;

    internal InboundFrame(FrameKind kind, byte[] buffer, int length)
    {
        Kind = kind;
        _buffer = buffer;
        Length = length;
    }

    /// <summary>The frame kind.</summary>
    public FrameKind Kind { get; }

    /// <summary>Body length in bytes.</summary>
    public int Length { get; }

    /// <summary>The body. Valid until <see cref="Dispose"/> or <see cref="DetachBody"/>.</summary>
    public ReadOnlyMemory<byte> Body =>
        _buffer is { } b ? b.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(InboundFrame));

    /// <summary>
    /// Transfers ownership of the pooled body to the caller (no copy); disposing the owner returns it to the pool.
    /// After this call, disposing the frame does nothing.
    /// </summary>
    public IMemoryOwner<byte> DetachBody()
    {
        byte[] buffer = _buffer ?? throw new ObjectDisposedException(nameof(InboundFrame));
        _buffer = null;
        return new PooledBody(buffer, Length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null && buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private sealed class PooledBody(byte[] buffer, int length) : IMemoryOwner<byte>
    {
        private byte[]? _buffer = buffer;

        public Memory<byte> Memory =>
            _buffer is { } b ? b.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledBody));

        public void Dispose()
        {
            byte[]? b = Interlocked.Exchange(ref _buffer, null);
            if (b is not null && b.Length > 0) ArrayPool<byte>.Shared.Return(b);
        }
    }
}
