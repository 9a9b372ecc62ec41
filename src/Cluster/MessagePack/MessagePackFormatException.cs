namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Raised when MessagePack input is malformed, truncated, nested too deeply, or holds a different type than the
/// caller asked for. <see cref="Offset"/> is the byte offset (from the start of the reader's input) of the value
/// at fault, so a caller can log where a frame went wrong.
/// </summary>
public class MessagePackFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> should already name the offset and what was expected.</summary>
    public MessagePackFormatException(string message, long offset, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>Byte offset, from the start of the input, of the value that could not be read.</summary>
    public long Offset { get; }
}
