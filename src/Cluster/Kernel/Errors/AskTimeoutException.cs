namespace ActorTrain.Cluster.Kernel;

/// <summary>An Ask got no reply within its timeout. The message names the target, the message type and the timeout.</summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for an Ask of <paramref name="messageType"/> to <paramref name="target"/>.</summary>
    public AskTimeoutException(ActorPath target, Type messageType, TimeSpan timeout)
        : base($"Ask timed out after {timeout.TotalMilliseconds:0.###} ms: {target} did not reply to a {messageType.FullName}. " +
               "The actor may be stopped, busy, or not replying to Sender; raise the timeout or check the actor.")
    {
        Target = target;
        MessageType = messageType;
        Timeout = timeout;
    }

    /// <summary>The path that was asked.</summary>
    public ActorPath Target { get; }

    /// <summary>The type of the message that was sent.</summary>
    public Type MessageType { get; }

    /// <summary>The timeout that expired.</summary>
    public TimeSpan Timeout { get; }
}
