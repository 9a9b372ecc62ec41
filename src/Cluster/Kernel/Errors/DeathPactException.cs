namespace ActorTrain.Cluster.Kernel;

/// <summary>Raised in an actor that received <see cref="Terminated"/> for a watched actor and did not handle it.</summary>
public sealed class DeathPactException : Exception
{
    /// <summary>Creates the exception naming the dead actor.</summary>
    public DeathPactException(IActorRef deadActor)
        : base($"Watched actor {deadActor.Path} terminated and the watcher has no handler for Terminated; handle Terminated or Unwatch it.")
    {
        DeadActor = deadActor;
    }

    /// <summary>The watched actor that stopped.</summary>
    public IActorRef DeadActor { get; }
}
