namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Raised when an envelope names a message type id that no serializer is registered for. It is a
/// <see cref="MessagePackFormatException"/> so that remoting treats it like any other malformed frame.
/// </summary>
public sealed class UnknownMessageTypeException : MessagePackFormatException
{
    /// <summary>Creates the exception for <paramref name="typeId"/> found at <paramref name="offset"/>.</summary>
    public UnknownMessageTypeException(int typeId, long offset)
        : base($"unknown message type id {typeId} at offset {offset}: no serializer is registered for it (are both nodes running the same ActorTrain version?)", offset)
    {
        TypeId = typeId;
    }

    /// <summary>The unregistered type id.</summary>
    public int TypeId { get; }
}
