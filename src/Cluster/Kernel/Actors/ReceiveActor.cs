namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// An actor that declares typed handlers in its constructor (and in <see cref="Become(Action)"/>):
/// <c>Receive&lt;Ping&gt;(p =&gt; Sender.Tell(new Pong()))</c>. Handlers are tried in declaration order; the first
/// whose type (and optional predicate) matches handles the message.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly HandlerSet _initial;
    private HandlerSet? _building;

    /// <summary>Starts collecting the initial handlers.</summary>
    protected ReceiveActor()
    {
        _initial = new HandlerSet();
        _building = _initial;
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> (optionally only those passing <paramref name="shouldHandle"/>).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new SyncHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/> (Akka's argument order).</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        Receive(handler, shouldHandle);
    }

    /// <summary>Asynchronously handles messages of type <typeparamref name="T"/> that pass <paramref name="shouldHandle"/> (see <see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T})"/>).</summary>
    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ReceiveAsync(handler, shouldHandle);
    }

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously: the actor processes nothing else
    /// (no other message, no lifecycle signal) until the returned task completes, so state stays single-threaded.
    /// A faulted task is a failure of this actor, handled by its supervisor.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new AsyncHandler<T>(this, handler, shouldHandle));
    }

    /// <summary>Handles any message not matched by an earlier handler.</summary>
    protected void ReceiveAny(Action<object> handler) => Receive(handler);

    /// <summary>Handles any message not matched by an earlier handler, asynchronously (see <see cref="ReceiveAsync{T}(Func{T, Task}, Predicate{T})"/>).</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => ReceiveAsync(handler);

    /// <summary>Replaces the current handlers with those that <paramref name="configure"/> declares.</summary>
    protected void Become(Action configure) => Context.Become(Collect(configure));

    /// <summary>Pushes the handlers that <paramref name="configure"/> declares; <see cref="UnbecomeStacked"/> returns to the previous ones.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Collect(configure));

    /// <summary>Returns to the behavior below the top of the stack.</summary>
    protected void UnbecomeStacked() => Context.Unbecome();

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => _initial.Handle(message);

    internal override void AfterConstruction() => _building = null;

    internal void RunAsyncHandler(Task task) => Cell.SuspendUntilCompleted(task);

    private Receive Collect(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var set = new HandlerSet();
        var previous = _building;
        _building = set;
        try
        {
            configure();
        }
        finally
        {
            _building = previous;
        }
        return set.Handle;
    }

    private HandlerSet Building() => _building ?? throw new InvalidOperationException(
        $"{GetType().Name}: Receive handlers can only be declared in the constructor or inside Become/BecomeStacked.");
}
