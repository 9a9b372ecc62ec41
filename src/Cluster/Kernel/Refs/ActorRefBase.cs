namespace ActorTrain.Cluster.Kernel;

/// <summary>Common base of all actor references: equality, hash and text by <see cref="Path"/>.</summary>
public abstract class ActorRefBase : IActorRef
{
    /// <inheritdoc />
    public abstract ActorPath Path { get; }

    /// <inheritdoc />
    public abstract ActorSystem System { get; }

    /// <inheritdoc />
    public void Tell(object message, IActorRef? sender = null) => TellCore(message, sender ?? ActorCell.CurrentSelf);

    /// <summary>
    /// Delivers <paramref name="message"/>; <paramref name="sender"/> is already resolved (null only when told from
    /// outside any actor).
    /// </summary>
    protected abstract void TellCore(object message, IActorRef? sender);

    /// <inheritdoc />
    public abstract void SendSystemMessage(SystemMessage message);

    /// <inheritdoc />
    public bool Equals(IActorRef? other) => other is not null && (ReferenceEquals(this, other) || Path.Equals(other.Path));

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Path.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => $"[{Path}]";
}
