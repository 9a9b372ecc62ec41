namespace ActorTrain.Cluster.MessagePack;

/// <summary>A decoded remoting envelope: who sent it, which actor it is for, and the message itself.</summary>
/// <param name="SenderPath">Full path of the sending actor, or null when there is no sender (a Tell from outside an actor).</param>
/// <param name="RecipientPath">Full path of the recipient actor.</param>
/// <param name="TypeId">Registered id of the message's type.</param>
/// <param name="Message">The deserialized message.</param>
public sealed record Envelope(string? SenderPath, string RecipientPath, int TypeId, object Message);
