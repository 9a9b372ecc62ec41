namespace ActorTrain.Cluster.Kernel;

/// <summary>A reference to an actor in this system; Tell enqueues straight into its mailbox (no allocation besides the queue slot).</summary>
internal sealed class LocalActorRef : ActorRefBase
{
    private readonly ActorCell _cell;

    public LocalActorRef(ActorCell cell, ActorPath path)
    {
        _cell = cell;
        Path = path;
    }

    public override ActorPath Path { get; }

    public override ActorSystem System => _cell.System;

    internal ActorCell Cell => _cell;

    protected override void TellCore(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_cell.IsTerminated)
            _cell.System.PublishDeadLetter(message, sender, this);
        else
            _cell.Mailbox.Post(message, sender);
    }

    public override void SendSystemMessage(SystemMessage message) => _cell.Mailbox.PostSystem(message);
}
