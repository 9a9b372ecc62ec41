namespace ActorTrain.Cluster.Kernel;

/// <summary>An actor name is empty, malformed, reserved, or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ArgumentException
{
    /// <summary>Creates the exception with a message that names the offending name and parent.</summary>
    public InvalidActorNameException(string message) : base(message) { }
}
