namespace ActorTrain.Cluster.Kernel;

/// <summary>One typed handler; subclasses are generic so the type test is a single cast per handler.</summary>
internal abstract class MessageHandler
{
    public abstract bool TryHandle(object message);
}

internal sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
        handler(typed);
        return true;
    }
}

internal sealed class AsyncHandler<T>(ReceiveActor owner, Func<T, Task> handler, Predicate<T>? shouldHandle) : MessageHandler
{
    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
        owner.RunAsyncHandler(handler(typed));
        return true;
    }
}
