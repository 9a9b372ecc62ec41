namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// A path that is resolved when used (the actor may come and go). <see cref="Tell"/> resolves and sends;
/// <see cref="ResolveOne"/> returns the current actor or fails with <see cref="ActorNotFoundException"/>.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;

    internal ActorSelection(ActorSystem system, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _system = system;
        Path = path;
    }

    /// <summary>The selected path as given.</summary>
    public string Path { get; }

    /// <summary>Sends to whatever currently lives at the path (dead letters when nothing does).</summary>
    public void Tell(object message, IActorRef? sender = null) => _system.Provider.ResolveActorRef(Path).Tell(message, sender);

    /// <summary>
    /// The actor at the path. Local paths are looked up directly; remote ones by an <see cref="Identify"/> round trip.
    /// </summary>
    /// <exception cref="ActorNotFoundException">Nothing lives at the path (or the remote node did not answer in time).</exception>
    public async Task<IActorRef> ResolveOne(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var target = _system.Provider.ResolveActorRef(Path);
        if (target is LocalActorRef or DeadLetterActorRef) return target;
        if (target is EmptyLocalActorRef) throw new ActorNotFoundException(Path);
        try
        {
            var identity = await target.Ask<ActorIdentity>(new Identify(null), timeout, cancellationToken).ConfigureAwait(false);
            return identity.Subject ?? throw new ActorNotFoundException(Path);
        }
        catch (AskTimeoutException)
        {
            throw new ActorNotFoundException(Path);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"ActorSelection[{Path}]";
}
