using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// The runtime of one actor: its mailbox, current instance, behavior stack, stash, children, watches and
/// supervision state. Everything except the children map and the mailbox queues is touched only on the
/// actor's turn (one pool thread at a time), so it needs no locks.
/// This file: the turn loop, message invocation, behaviors and stash; see the other ActorCell.*.cs parts.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    /// <summary>The cell whose actor is being constructed on this thread (read by the ActorBase constructor).</summary>
    [ThreadStatic]
    internal static ActorCell? CreatingCell;

    /// <summary>The cell whose turn runs on this thread: the implicit sender of a Tell without one.</summary>
    [ThreadStatic]
    private static ActorCell? t_running;

    internal static IActorRef? CurrentSelf => t_running?._self;

    private readonly ActorSystem _system;
    private readonly LocalActorRef _self;
    private readonly LocalActorRef? _parent;
    private readonly Props _props;
    private readonly Mailbox _mailbox;
    private readonly int _throughput;
    private readonly List<Receive> _behaviors = new(2);
    private Receive _currentBehavior = static _ => false;
    private ActorBase? _actor;
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private Task? _pendingTask;
    private List<Envelope>? _stash;
    private List<Envelope>? _unstashed; // a stack: the last element is the next message to process
    private ILogger? _log;

    public ActorCell(ActorSystem system, ActorPath path, Props props, LocalActorRef? parent)
    {
        _system = system;
        _props = props;
        _parent = parent;
        _throughput = props.Throughput;
        _mailbox = new Mailbox();
        _self = new LocalActorRef(this, path);
        _mailbox.Attach(this);
    }

    public IActorRef Self => _self;

    internal LocalActorRef SelfRef => _self;

    internal Mailbox Mailbox => _mailbox;

    public IActorRef Sender => _currentSender ?? _system.DeadLetters;

    public IActorRef Parent => (IActorRef?)_parent ?? _self;

    public Props Props => _props;

    public ActorSystem System => _system;

    public IScheduler Scheduler => _system.Scheduler;

    public ILogger Log => _log ??= _system.LoggerFactory.CreateLogger(_props.ActorType);

    /// <summary>Queues the Create system message; the instance is built on the actor's own turn.</summary>
    internal void Start() => _mailbox.PostSystem(Create.Instance);

    /// <summary>One scheduling turn: all system messages, then up to <c>Throughput</c> user messages.</summary>
    internal void RunTurn()
    {
        t_running = this;
        try
        {
            RunTurnCore();
        }
        finally
        {
            t_running = null;
        }
    }

    private void RunTurnCore()
    {
        if (_pendingTask is not null)
        {
            if (!_pendingTask.IsCompleted) return;
            CompleteAsyncHandler();
        }
        ProcessSystemMessages();
        if (_terminated)
        {
            DrainToDeadLetters();
            return;
        }
        int budget = _throughput;
        while (budget-- > 0 && CanProcessUserMessages)
        {
            Envelope envelope;
            if (_unstashed is { Count: > 0 } unstashed)
            {
                envelope = unstashed[^1];
                unstashed.RemoveAt(unstashed.Count - 1);
            }
            else if (!_mailbox.TryDequeueUser(out envelope))
            {
                break;
            }
            Invoke(envelope);
            if (_mailbox.HasSystemMessages && _pendingTask is null)
            {
                ProcessSystemMessages();
                if (_terminated)
                {
                    DrainToDeadLetters();
                    return;
                }
            }
        }
    }

    /// <summary>Whether another turn would make progress (checked after each turn to re-schedule).</summary>
    internal bool HasRunnableWork()
    {
        if (_pendingTask is { } task) return task.IsCompleted;
        if (_mailbox.HasSystemMessages) return true;
        if (_terminated) return _mailbox.HasUserMessages;
        return CanProcessUserMessages && (_mailbox.HasUserMessages || _unstashed is { Count: > 0 });
    }

    private bool CanProcessUserMessages =>
        _pendingTask is null && !_failed && !_terminating && _actor is not null && _pendingRecreateCause is null;

    private void Invoke(in Envelope envelope)
    {
        object message = envelope.Message;
        _currentMessage = message;
        _currentSender = envelope.Sender;
        try
        {
            if (message is TerminatedDelivery or PoisonPill or Kill or Identify)
                HandleAutoReceived(message);
            else if (!_currentBehavior(message))
                _actor!.InvokeUnhandled(message);
        }
        catch (Exception e)
        {
            _pendingTask = null;
            HandleInvokeFailure(e);
        }
        if (_pendingTask is null && !_failed)
        {
            _currentMessage = null;
            _currentSender = null;
        }
    }

    private void HandleAutoReceived(object message)
    {
        switch (message)
        {
            case TerminatedDelivery { Terminated: var terminated }:
                _currentMessage = terminated;
                if (_terminatedQueued?.Remove(terminated.ActorRef) == true && !_currentBehavior(terminated))
                    _actor!.InvokeUnhandled(terminated);
                break;
            case PoisonPill:
                HandleTerminate();
                break;
            case Kill:
                throw new ActorKilledException(_self.Path);
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, _self), _self);
                break;
        }
    }

    /// <summary>Called by an async handler: no further message or signal is processed until <paramref name="task"/> completes.</summary>
    internal void SuspendUntilCompleted(Task task)
    {
        if (task.IsCompletedSuccessfully) return;
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult(); // rethrows: a synchronous failure of the handler
            throw new TaskCanceledException(task);
        }
        _pendingTask = task;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_mailbox.ScheduleAction);
    }

    private void CompleteAsyncHandler()
    {
        var task = _pendingTask!;
        _pendingTask = null;
        if (task.IsCompletedSuccessfully)
        {
            _currentMessage = null;
            _currentSender = null;
            return;
        }
        Exception failure = task.IsCanceled
            ? new TaskCanceledException($"The async handler of {_self.Path} for {_currentMessage?.GetType().Name} was canceled.")
            : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
        HandleInvokeFailure(failure);
    }

    private void ResetBehaviors(ActorBase actor)
    {
        _behaviors.Clear();
        _currentBehavior = actor.InitialBehavior;
        _behaviors.Add(_currentBehavior);
    }

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        if (_behaviors.Count > 0) _behaviors.RemoveAt(_behaviors.Count - 1);
        _behaviors.Add(receive);
        _currentBehavior = receive;
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviors.Add(receive);
        _currentBehavior = receive;
    }

    public void Unbecome()
    {
        if (_behaviors.Count > 0) _behaviors.RemoveAt(_behaviors.Count - 1);
        if (_behaviors.Count == 0 && _actor is not null) _behaviors.Add(_actor.InitialBehavior);
        if (_behaviors.Count > 0) _currentBehavior = _behaviors[^1];
    }

    public void Stash()
    {
        if (_currentMessage is null)
            throw new InvalidOperationException($"{_self.Path}: Stash() can only be called while handling a message.");
        var stash = _stash ??= [];
        if (stash.Count > 0 && ReferenceEquals(stash[^1].Message, _currentMessage) && Equals(stash[^1].Sender, _currentSender))
            throw new InvalidOperationException($"{_self.Path}: the current {_currentMessage.GetType().Name} was already stashed.");
        stash.Add(new Envelope(_currentMessage, _currentSender));
    }

    public void Unstash()
    {
        if (_stash is not { Count: > 0 } stash) return;
        (_unstashed ??= []).Add(stash[0]);
        stash.RemoveAt(0);
    }

    public void UnstashAll()
    {
        if (_stash is not { Count: > 0 } stash) return;
        var unstashed = _unstashed ??= [];
        for (int i = stash.Count - 1; i >= 0; i--) unstashed.Add(stash[i]);
        stash.Clear();
    }

    internal void LogUnhandled(object message)
    {
        if (Log.IsEnabled(LogLevel.Debug))
            Log.LogDebug("Unhandled message {MessageType} from {Sender} in {Path}", message.GetType().FullName, Sender.Path, _self.Path);
    }

    internal void LogKernelFault(Exception e) =>
        _system.KernelLog.LogCritical(e, "Kernel fault while running {Path}; the actor may be stuck", _self.Path);
}
