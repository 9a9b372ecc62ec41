using System.Collections.Concurrent;

namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Maps message types to stable numeric ids and their serializers, so that a frame can say "type 17" instead of a
/// type name and both nodes agree on what that means. Register every message type at start-up with the same id on
/// every node; ids never change once shipped. Lookups are lock-free and thread-safe; registration is thread-safe.
/// Lookup is by exact runtime type (a subclass must be registered on its own).
/// </summary>
public sealed class MessageTypeRegistry
{
    private readonly ConcurrentDictionary<int, Registration> _byId = new();
    private readonly ConcurrentDictionary<Type, Registration> _byType = new();
    private readonly Lock _registerLock = new();

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="typeId"/>.</summary>
    /// <exception cref="ArgumentException">The id or the type is already registered.</exception>
    public void Register<T>(int typeId, IMessageSerializer<T> serializer)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var registration = new Registration<T>(typeId, serializer);
        lock (_registerLock)
        {
            if (_byId.TryGetValue(typeId, out Registration? existing))
            {
                throw new ArgumentException(
                    $"message type id {typeId} is already registered to {existing.Type.FullName}; cannot register {typeof(T).FullName} under it (pick an unused id)",
                    nameof(typeId));
            }
            if (_byType.TryGetValue(typeof(T), out existing))
            {
                throw new ArgumentException(
                    $"message type {typeof(T).FullName} is already registered with id {existing.TypeId}; cannot register it again with id {typeId}",
                    nameof(typeId));
            }
            _byType[typeof(T)] = registration;
            _byId[typeId] = registration;
        }
    }

    /// <summary>Every registered (id, type) pair, in id order.</summary>
    public IReadOnlyList<(int TypeId, Type Type)> Registrations =>
        _byId.Values.OrderBy(r => r.TypeId).Select(r => (r.TypeId, r.Type)).ToList();

    /// <summary>True when <paramref name="typeId"/> is registered.</summary>
    public bool IsRegistered(int typeId) => _byId.ContainsKey(typeId);

    /// <summary>Looks up the id of <paramref name="type"/>.</summary>
    public bool TryGetTypeId(Type type, out int typeId)
    {
        if (_byType.TryGetValue(type, out Registration? registration))
        {
            typeId = registration.TypeId;
            return true;
        }
        typeId = 0;
        return false;
    }

    /// <summary>The id of <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered.</exception>
    public int GetTypeId(Type type) => ByType(type).TypeId;

    /// <summary>The type registered under <paramref name="typeId"/>.</summary>
    /// <exception cref="UnknownMessageTypeException">No type is registered under that id.</exception>
    public Type GetType(int typeId) =>
        _byId.TryGetValue(typeId, out Registration? registration) ? registration.Type : throw new UnknownMessageTypeException(typeId, 0);

    /// <summary>Writes <paramref name="message"/> with its registered serializer and returns its type id.</summary>
    /// <exception cref="InvalidOperationException">The message's runtime type is not registered.</exception>
    public int WritePayload(ref MessagePackWriter writer, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Registration registration = ByType(message.GetType());
        registration.WriteBoxed(ref writer, message);
        return registration.TypeId;
    }

    /// <summary>Writes <paramref name="message"/> (whose runtime type must be exactly <typeparamref name="T"/>) without boxing.</summary>
    public int WritePayload<T>(ref MessagePackWriter writer, T message)
        where T : notnull
    {
        if (ByType(message.GetType()) is Registration<T> typed)
        {
            typed.Serializer.Write(ref writer, message);
            return typed.TypeId;
        }
        return WritePayload(ref writer, (object)message);
    }

    /// <summary>Reads a payload of the type registered under <paramref name="typeId"/>.</summary>
    /// <exception cref="UnknownMessageTypeException">No type is registered under that id.</exception>
    /// <exception cref="MessagePackFormatException">The payload is malformed.</exception>
    public object ReadPayload(ref MessagePackReader reader, int typeId)
    {
        if (!_byId.TryGetValue(typeId, out Registration? registration))
        {
            throw new UnknownMessageTypeException(typeId, reader.Position);
        }
        return registration.ReadBoxed(ref reader);
    }

    private Registration ByType(Type type) =>
        _byType.TryGetValue(type, out Registration? registration)
            ? registration
            : throw new InvalidOperationException(
                $"message type {type.FullName} is not registered with the MessageTypeRegistry; register it at start-up with Register<{type.Name}>(id, serializer) using the same id on every node");

    private abstract class Registration(int typeId, Type type)
    {
        public int TypeId { get; } = typeId;

        public Type Type { get; } = type;

        public abstract void WriteBoxed(ref MessagePackWriter writer, object message);

        public abstract object ReadBoxed(ref MessagePackReader reader);
    }

    private sealed class Registration<T>(int typeId, IMessageSerializer<T> serializer) : Registration(typeId, typeof(T))
        where T : notnull
    {
        public IMessageSerializer<T> Serializer { get; } = serializer;

        public override void WriteBoxed(ref MessagePackWriter writer, object message) => Serializer.Write(ref writer, (T)message);

        public override object ReadBoxed(ref MessagePackReader reader) => Serializer.Read(ref reader);
    }
}
