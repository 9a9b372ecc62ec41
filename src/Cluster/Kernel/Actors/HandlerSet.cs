namespace ActorTrain.Cluster.Kernel;

/// <summary>The ordered typed handlers of one <see cref="ReceiveActor"/> behavior.</summary>
internal sealed class HandlerSet
{
    private MessageHandler[] _handlers = [];

    public void Add(MessageHandler handler) => _handlers = [.. _handlers, handler];

    public bool Handle(object message)
    {
        var handlers = _handlers;
        for (int i = 0; i < handlers.Length; i++)
            if (handlers[i].TryHandle(message)) return true;
        return false;
    }
}
