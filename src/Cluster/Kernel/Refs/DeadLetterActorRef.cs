namespace ActorTrain.Cluster.Kernel;

/// <summary><c>/deadLetters</c>: where undeliverable messages and replies to "no sender" go (counted and logged at debug).</summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    public override ActorPath Path { get; } = path;

    public override ActorSystem System { get; } = system;

    protected override void TellCore(object message, IActorRef? sender)
    {
        if (message is DeadLetter deadLetter)
            System.PublishDeadLetter(deadLetter.Message, deadLetter.Sender, deadLetter.Recipient);
        else
            System.PublishDeadLetter(message, sender, this);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, ExistenceConfirmed: false, AddressTerminated: false));
    }
}
