using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;

namespace ActorTrain.Cluster.Remoting;

/// <summary>Registers the message types remoting itself sends (ids from <see cref="ReservedTypeIds"/>).</summary>
public static class RemotingSerializers
{
    /// <summary>Registers DeathWatch wire messages, <see cref="string"/> and <see cref="Status.Failure"/>; skips ids already taken by the same type.</summary>
    public static void Register(MessageTypeRegistry registry)
    {
        RegisterOnce(registry, ReservedTypeIds.RemoteWatch, new DelegateSerializer<RemoteWatch>(
            (ref MessagePackWriter w, RemoteWatch m) => { w.WriteArrayHeader(2); w.WriteString(m.Watchee); w.WriteString(m.Watcher); },
            (ref MessagePackReader r) => { Expect(ref r, 2, "RemoteWatch"); return new RemoteWatch(r.ReadString(), r.ReadString()); }));
        RegisterOnce(registry, ReservedTypeIds.RemoteUnwatch, new DelegateSerializer<RemoteUnwatch>(
            (ref MessagePackWriter w, RemoteUnwatch m) => { w.WriteArrayHeader(2); w.WriteString(m.Watchee); w.WriteString(m.Watcher); },
            (ref MessagePackReader r) => { Expect(ref r, 2, "RemoteUnwatch"); return new RemoteUnwatch(r.ReadString(), r.ReadString()); }));
        RegisterOnce(registry, ReservedTypeIds.RemoteDeathWatchNotification, new DelegateSerializer<RemoteDeathWatchNotification>(
            (ref MessagePackWriter w, RemoteDeathWatchNotification m) =>
            {
                w.WriteArrayHeader(4);
                w.WriteString(m.Actor);
                w.WriteString(m.Watcher);
                w.WriteBoolean(m.ExistenceConfirmed);
                w.WriteBoolean(m.AddressTerminated);
            },
            (ref MessagePackReader r) =>
            {
                Expect(ref r, 4, "RemoteDeathWatchNotification");
                return new RemoteDeathWatchNotification(r.ReadString(), r.ReadString(), r.ReadBoolean(), r.ReadBoolean());
            }));
        RegisterOnce(registry, ReservedTypeIds.String, new DelegateSerializer<string>(
            (ref MessagePackWriter w, string m) => w.WriteString(m),
            (ref MessagePackReader r) => r.ReadString()));
        RegisterOnce(registry, ReservedTypeIds.StatusFailure, new DelegateSerializer<Status.Failure>(
            (ref MessagePackWriter w, Status.Failure m) =>
            {
                w.WriteArrayHeader(2);
                w.WriteString(m.Cause is RemoteFailureException remote ? remote.RemoteExceptionType : m.Cause.GetType().FullName);
                w.WriteString(m.Cause.Message);
            },
            (ref MessagePackReader r) =>
            {
                Expect(ref r, 2, "Status.Failure");
                return new Status.Failure(new RemoteFailureException(r.ReadString(), r.ReadString()));
            }));
    }

    /// <summary>Reads an array header and checks its length, naming the message type when it differs.</summary>
    /// <exception cref="MessagePackFormatException">The count is not <paramref name="count"/>.</exception>
    public static void Expect(ref MessagePackReader reader, int count, string type)
    {
        int position = reader.Position;
        int actual = reader.ReadArrayHeader();
        if (actual != count)
            throw new MessagePackFormatException($"{type} at offset {position} has {actual} fields, expected {count}", position);
    }

    /// <summary>Registers <paramref name="serializer"/> unless <typeparamref name="T"/> already has <paramref name="typeId"/>.</summary>
    public static void RegisterOnce<T>(MessageTypeRegistry registry, int typeId, IMessageSerializer<T> serializer) where T : notnull
    {
        if (registry.TryGetTypeId(typeof(T), out int existing) && existing == typeId) return;
        registry.Register(typeId, serializer);
    }
}
