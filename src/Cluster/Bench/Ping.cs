using ActorTrain.Cluster.Serialization;
using MessagePack;

namespace ActorTrain.Cluster.Bench;

/// <summary>The ping-pong benchmark's message (the reply is the same message sent back).</summary>
/// <param name="Sequence">Which round trip of its pair this is.</param>
[MessagePackObject]
public sealed record Ping([property: Key(0)] long Sequence) : IMessageContract;
