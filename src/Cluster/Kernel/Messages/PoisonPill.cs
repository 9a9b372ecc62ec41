namespace ActorTrain.Cluster.Kernel;

/// <summary>An ordinary message that stops the actor when it is processed (messages before it are handled first).</summary>
public sealed class PoisonPill
{
    /// <summary>The single instance.</summary>
    public static readonly PoisonPill Instance = new();

    private PoisonPill() { }
}
