namespace ActorTrain.Cluster.Kernel;

/// <summary>A message and its sender as stored in a mailbox (a struct: enqueueing allocates nothing per message).</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
