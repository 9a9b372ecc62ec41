namespace ActorTrain.Cluster.Kernel;

/// <summary>No actor lives at the path that an <see cref="ActorSelection"/> was asked to resolve.</summary>
public sealed class ActorNotFoundException : Exception
{
    /// <summary>Creates the exception naming the path.</summary>
    public ActorNotFoundException(string path)
        : base($"No actor found at {path}; check the name, whether it was started, and (for remote paths) that the node is reachable.") { }
}
