namespace ActorTrain.Cluster.Kernel;

/// <summary>Raised inside an actor that processed <see cref="Kill"/>.</summary>
public sealed class ActorKilledException : Exception
{
    /// <summary>Creates the exception for the killed actor.</summary>
    public ActorKilledException(ActorPath path) : base($"Actor {path} was killed by a Kill message.") { }
}
