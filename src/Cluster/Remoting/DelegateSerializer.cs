using ActorTrain.Cluster.MessagePack;

namespace ActorTrain.Cluster.Remoting;

/// <summary>Writes one value of <typeparamref name="T"/>.</summary>
public delegate void MessageWriter<in T>(ref MessagePackWriter writer, T value);

/// <summary>Reads one value of <typeparamref name="T"/>.</summary>
public delegate T MessageReader<out T>(ref MessagePackReader reader);

/// <summary>An <see cref="IMessageSerializer{T}"/> built from two delegates, for small message types.</summary>
public sealed class DelegateSerializer<T>(MessageWriter<T> write, MessageReader<T> read) : IMessageSerializer<T>
{
    /// <inheritdoc />
    public void Write(ref MessagePackWriter writer, T value) => write(ref writer, value);

    /// <inheritdoc />
    public T Read(ref MessagePackReader reader) => read(ref reader);
}
