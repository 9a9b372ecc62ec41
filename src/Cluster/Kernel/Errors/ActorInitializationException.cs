namespace ActorTrain.Cluster.Kernel;

/// <summary>The actor's constructor or PreStart threw; the default supervisor stops such an actor.</summary>
public sealed class ActorInitializationException : Exception
{
    /// <summary>Creates the exception for the actor at <paramref name="actor"/>.</summary>
    public ActorInitializationException(IActorRef actor, Exception cause)
        : base($"Actor {actor.Path} failed to initialize (constructor or PreStart threw {cause.GetType().Name}: {cause.Message}).", cause)
    {
        Actor = actor;
    }

    /// <summary>The actor that failed to start.</summary>
    public IActorRef Actor { get; }
}
