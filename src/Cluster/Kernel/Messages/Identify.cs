namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// Answered by every actor (without reaching its handlers) with <see cref="ActorIdentity"/>; an unknown path
/// answers with a null subject. Used to resolve a path, local or remote, to a reference.
/// </summary>
/// <param name="MessageId">Echoed back in the reply to correlate it.</param>
public sealed record Identify(object? MessageId);

/// <summary>The reply to <see cref="Identify"/>.</summary>
/// <param name="MessageId">The id from the request.</param>
/// <param name="Subject">The actor, or null when nothing lives at the path.</param>
public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);
