namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// An ordinary message that makes the actor fail with <see cref="ActorKilledException"/> when processed; the
/// supervisor decides what happens (the default strategy stops it).
/// </summary>
public sealed class Kill
{
    /// <summary>The single instance.</summary>
    public static readonly Kill Instance = new();

    private Kill() { }
}
