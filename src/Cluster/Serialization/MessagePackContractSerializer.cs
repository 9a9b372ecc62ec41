using System.Reflection;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using MessagePack;
using MessagePack.Resolvers;

namespace ActorTrain.Cluster.Serialization;

/// <summary>
/// The one Akka serializer of ActorTrain's messages: MessagePack-CSharp with integer-keyed contracts, the standard
/// resolver (no typeless or type-name resolution) and <see cref="MessagePackSecurity.UntrustedData"/>. The manifest on
/// the wire is a short name from <c>akka.actor.serialization-settings.actortrain-msgpack.contracts</c>; a payload with
/// an unknown manifest or malformed bytes fails with <see cref="SerializationException"/> (Akka.Remote drops that
/// message and the node goes on).
/// </summary>
public sealed class MessagePackContractSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer's name in <c>akka.actor.serializers</c>.</summary>
    public const string Name = "actortrain-msgpack";

    /// <summary>The serializer id (Akka reserves 0..100).</summary>
    public const int SerializerId = 4711;

    /// <summary>Options every contract is written and read with.</summary>
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(StandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _manifests = new();

    /// <summary>Created by Akka from <c>akka.actor.serializers</c>; reads the contract table from the system's config.</summary>
    public MessagePackContractSerializer(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetConfig($"akka.actor.serialization-settings.{Name}")) { }

    /// <summary>Created by Akka with this serializer's <c>akka.actor.serialization-settings.actortrain-msgpack</c> section.</summary>
    public MessagePackContractSerializer(ExtendedActorSystem system, Akka.Configuration.Config? settings) : base(system)
    {
        var contracts = settings?.GetConfig("contracts");
        if (contracts is null || contracts.IsEmpty) return;
        foreach (var (manifest, value) in contracts.AsEnumerable())
        {
            string typeName = value.GetString();
            // An assembly that is not part of this program (e.g. a tool that loads only ActorTrain.Cluster) has no
            // messages to exchange: its contracts are skipped, and a message naming them is refused as unknown.
            var type = Type.GetType(typeName, throwOnError: false);
            if (type is null) continue;
            Add(manifest, type);
        }
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <summary>The contract types this serializer reads and writes, by wire manifest.</summary>
    public IReadOnlyDictionary<string, Type> Contracts => _types;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        if (!_manifests.ContainsKey(obj.GetType()))
            throw new SerializationException($"{obj.GetType().FullName} is not listed under akka.actor.serialization-settings.{Name}.contracts");
        return MessagePackSerializer.Serialize(obj.GetType(), obj, Options);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!_types.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown message manifest '{Truncate(manifest)}' ({bytes.Length} bytes); known: {string.Join(", ", _types.Keys)}");
        try
        {
            return MessagePackSerializer.Deserialize(type, bytes, Options)
                ?? throw new SerializationException($"a '{manifest}' message decoded to nil");
        }
        catch (MessagePackSerializationException e)
        {
            throw new SerializationException($"malformed '{manifest}' message ({bytes.Length} bytes): {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string Manifest(object o) =>
        _manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType().FullName} is not listed under akka.actor.serialization-settings.{Name}.contracts");

    private void Add(string manifest, Type type)
    {
        if (!typeof(IMessageContract).IsAssignableFrom(type) || type.GetCustomAttribute<MessagePackObjectAttribute>() is not { KeyAsPropertyName: false })
            throw new SerializationException($"contract '{manifest}' = {type.FullName} must implement {nameof(IMessageContract)} and be a [MessagePackObject] with integer keys");
        if (_manifests.TryGetValue(type, out var other))
            throw new SerializationException($"{type.FullName} is listed twice, as '{other}' and '{manifest}'");
        _types[manifest] = type;
        _manifests[type] = manifest;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
