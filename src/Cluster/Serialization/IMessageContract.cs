namespace ActorTrain.Cluster.Serialization;

/// <summary>
/// Marks an ActorTrain message type as a MessagePack contract: a <c>[MessagePackObject]</c> type with integer keys,
/// bound in HOCON (<c>akka.actor.serialization-bindings</c>) to <see cref="MessagePackContractSerializer"/> and listed
/// under <c>akka.actor.serialization-settings.actortrain-msgpack.contracts</c> with its wire manifest.
/// </summary>
public interface IMessageContract;
