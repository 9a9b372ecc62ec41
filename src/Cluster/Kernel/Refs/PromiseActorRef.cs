namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The temporary reply-to of one Ask, registered under <c>/temp/$n</c> so that replies from other nodes can reach
/// it by path. The first message completes the task; later ones are dead letters.
/// </summary>
internal sealed class PromiseActorRef : ActorRefBase
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorSystem system, ActorPath path)
    {
        System = system;
        Path = path;
    }

    public override ActorPath Path { get; }

    public override ActorSystem System { get; }

    public Task<object> Reply => _reply.Task;

    protected override void TellCore(object message, IActorRef? sender)
    {
        if (!_reply.TrySetResult(message)) System.PublishDeadLetter(message, sender, this);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && _reply.Task.IsCompleted)
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: true, AddressTerminated: false));
    }
}
