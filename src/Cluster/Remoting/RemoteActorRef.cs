using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// A reference to an actor on another node. <see cref="ActorRefBase.Tell"/> serializes the message with the
/// <c>MessageTypeRegistry</c> into an envelope and queues it on that node's association; Watch, Unwatch and
/// DeathWatchNotification travel as system messages. Used exactly like a local reference.
/// </summary>
public sealed class RemoteActorRef : ActorRefBase
{
    private readonly ActorRemoting _remoting;

    internal RemoteActorRef(ActorRemoting remoting, ActorPath path)
    {
        _remoting = remoting;
        Path = path;
    }

    /// <inheritdoc />
    public override ActorPath Path { get; }

    /// <inheritdoc />
    public override ActorSystem System => _remoting.System;

    /// <inheritdoc />
    protected override void TellCore(object message, IActorRef? sender) => _remoting.Send(this, message, sender);

    /// <inheritdoc />
    public override void SendSystemMessage(SystemMessage message) => _remoting.SendSystemMessage(this, message);
}
