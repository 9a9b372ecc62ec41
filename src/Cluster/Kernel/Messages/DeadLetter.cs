namespace ActorTrain.Cluster.Kernel;

/// <summary>A message that could not be delivered: its recipient was stopped or never existed.</summary>
/// <param name="Message">The undelivered message.</param>
/// <param name="Sender">Who sent it, or null.</param>
/// <param name="Recipient">Where it was sent.</param>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);
