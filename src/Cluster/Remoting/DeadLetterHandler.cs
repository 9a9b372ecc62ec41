using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Remoting;

/// <summary>Called for each outbound message the transport gives up on, with the target address and why.</summary>
public delegate void DeadLetterHandler(OutboundMessage message, Address recipient, string reason);
