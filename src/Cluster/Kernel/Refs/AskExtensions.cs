namespace ActorTrain.Cluster.Kernel;

/// <summary>Request/response on top of Tell.</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply-to as sender and awaits the first reply.
    /// A <see cref="Status.Failure"/> reply is rethrown as its cause; a <see cref="Status.Success"/> is unwrapped.
    /// Works the same for local and remote targets.
    /// </summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>; names target, message type and timeout.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="T"/>; names both types.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        var provider = target.System.LocalProvider;
        var promise = provider.CreatePromise();
        object reply;
        try
        {
            target.Tell(message, promise);
            reply = await promise.Reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AskTimeoutException(target.Path, message.GetType(), timeout);
        }
        finally
        {
            provider.RemovePromise(promise);
        }
        switch (reply)
        {
            case Status.Failure failure:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure.Cause);
                throw failure.Cause; // unreachable
            case Status.Success { Value: T value }:
                return value;
            case T typed:
                return typed;
            default:
                throw new InvalidCastException(
                    $"Ask to {target.Path} with {message.GetType().FullName} expected a reply of type {typeof(T).FullName} but got {reply.GetType().FullName}.");
        }
    }

    /// <summary>Ask with the reply typed as <see cref="object"/>.</summary>
    public static Task<object> Ask(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        target.Ask<object>(message, timeout, cancellationToken);
}
