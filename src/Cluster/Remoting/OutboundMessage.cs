namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// One message queued on an association: a serialized <see cref="Head"/> (envelope) and an optional
/// <see cref="Tail"/> written to the socket straight from the caller's memory (e.g. a gradient bucket), so the
/// caller must leave the tail's memory alone until <see cref="Completion"/> (when requested) has finished.
/// </summary>
public sealed class OutboundMessage
{
    private readonly TaskCompletionSource<bool>? _completion;

    /// <summary>Creates a message.</summary>
    /// <param name="head">Serialized envelope bytes (the frame body starts with them).</param>
    /// <param name="tail">Bytes appended after the head without a copy; may be empty.</param>
    /// <param name="description">What dead-letter logs show when the message cannot be delivered (message and recipient).</param>
    /// <param name="headOwner">Disposed once the head has been written or dropped (returns a pooled buffer).</param>
    /// <param name="trackCompletion">Creates <see cref="Completion"/>.</param>
    public OutboundMessage(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail = default, object? description = null,
        IDisposable? headOwner = null, bool trackCompletion = false)
    {
        Head = head;
        Tail = tail;
        Description = description;
        HeadOwner = headOwner;
        if (trackCompletion) _completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Serialized envelope.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    /// <summary>Payload written after the head from the caller's memory.</summary>
    public ReadOnlyMemory<byte> Tail { get; }

    /// <summary>Frame body length.</summary>
    public long Length => (long)Head.Length + Tail.Length;

    /// <summary>What dead-letter logs show for this message.</summary>
    public object? Description { get; }

    /// <summary>Owner of the head's buffer, disposed after write or drop.</summary>
    public IDisposable? HeadOwner { get; }

    /// <summary>
    /// When tracking was requested: true once the bytes were handed to the socket, false when the message was
    /// dropped. Null otherwise.
    /// </summary>
    public Task<bool>? Completion => _completion?.Task;

    /// <summary>Marks the message written (true) or dropped (false) and releases the head's buffer.</summary>
    internal void Complete(bool written)
    {
        HeadOwner?.Dispose();
        _completion?.TrySetResult(written);
    }
}
