namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Writes and reads one message type as MessagePack. A serializer writes exactly one MessagePack value (usually an
/// array of the message's fields) and reads back exactly one.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IMessageSerializer<T>
{
    /// <summary>Writes <paramref name="value"/> as one MessagePack value.</summary>
    void Write(ref MessagePackWriter writer, T value);

    /// <summary>Reads one MessagePack value written by <see cref="Write"/>.</summary>
    /// <exception cref="MessagePackFormatException">The input is not a valid encoding of <typeparamref name="T"/>.</exception>
    T Read(ref MessagePackReader reader);
}
