namespace ActorTrain.Cluster.MessagePack;

/// <summary>The part of an envelope before its payload; reading it leaves the reader at the payload.</summary>
/// <param name="SenderPath">Full path of the sending actor, or null when there is no sender.</param>
/// <param name="RecipientPath">Full path of the recipient actor.</param>
/// <param name="TypeId">Registered id of the payload's type.</param>
public readonly record struct EnvelopeHeader(string? SenderPath, string RecipientPath, int TypeId);
