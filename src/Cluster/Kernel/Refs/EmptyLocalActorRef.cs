namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// What a local path with no actor resolves to: messages become dead letters, <see cref="Identify"/> is answered
/// with a null subject, and a watch fires Terminated at once (existence not confirmed).
/// </summary>
internal sealed class EmptyLocalActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    protected override void TellCore(object message, IActorRef? sender)
    {
        if (message is Identify identify && sender is not null)
            sender.Tell(new ActorIdentity(identify.MessageId, null), this);
        else
            System.PublishDeadLetter(message, sender, this);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, ExistenceConfirmed: false, AddressTerminated: false));
    }
}
