using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// A tree of actors: <c>/user</c> (yours, via <see cref="ActorOf"/>), <c>/system</c> (infrastructure such as
/// <c>/system/cluster</c>, via <see cref="SystemActorOf"/>), plus <c>/deadLetters</c> and <c>/temp</c> (Ask reply-tos).
/// One node runs one system. Its <see cref="Address"/> is local-only (<c>actortrain://name</c>) until remoting
/// attaches a transport (see <see cref="IRemoteTransport"/>).
/// </summary>
public sealed class ActorSystem
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorCell _rootCell;
    private readonly LocalActorRef _userGuardian;
    private readonly LocalActorRef _systemGuardian;
    private readonly TimerScheduler _scheduler;
    private long _deadLetterCount;
    private int _terminateRequested;

    private ActorSystem(string name, ActorSystemOptions options)
    {
        Name = name;
        LoggerFactory = options.LoggerFactory;
        KernelLog = LoggerFactory.CreateLogger("ActorTrain.Cluster.Kernel.ActorSystem");
        SupervisionLog = LoggerFactory.CreateLogger("ActorTrain.Cluster.Kernel.Supervision");
        DeadLetterLog = LoggerFactory.CreateLogger("ActorTrain.Cluster.Kernel.DeadLetters");
        _scheduler = new TimerScheduler(LoggerFactory.CreateLogger("ActorTrain.Cluster.Kernel.Scheduler"));
        var address = Address.Local(name);
        LocalProvider = new LocalActorRefProvider(this, address);
        _rootCell = new ActorCell(this, ActorPath.Root(address),
            Props.Create(static () => new RootGuardianActor()), parent: null);
        LocalProvider.RootCell = _rootCell;
        _rootCell.Start();
        _userGuardian = (LocalActorRef)_rootCell.ActorOf(Props.Create(static () => new GuardianActor()), "user");
        _systemGuardian = (LocalActorRef)_rootCell.ActorOf(Props.Create(static () => new GuardianActor()), "system");
        _rootCell.SelfRef.Tell(new RootGuardianActor.GuardiansCreated(_userGuardian, _systemGuardian));
    }

    /// <summary>Creates and starts a system.</summary>
    /// <param name="name">The system name: ASCII letters, digits, '-' and '_', starting with a letter or digit.</param>
    /// <param name="options">Logging and other settings; null for defaults.</param>
    /// <exception cref="ArgumentException">The name is not valid; the message says what is allowed.</exception>
    public static ActorSystem Create(string name, ActorSystemOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !char.IsAsciiLetterOrDigit(name[0]) ||
            !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException(
                $"Actor system name '{name}' is invalid: use ASCII letters, digits, '-' and '_', starting with a letter or digit.", nameof(name));
        return new ActorSystem(name, options ?? new ActorSystemOptions());
    }

    /// <summary>The system name.</summary>
    public string Name { get; }

    /// <summary>The address peers use: the bound network address once remoting is attached, else the local-only address.</summary>
    public Address Address => LocalProvider.DefaultAddress;

    /// <summary>Path resolution and the remoting seam.</summary>
    public IActorRefProvider Provider => LocalProvider;

    internal LocalActorRefProvider LocalProvider { get; }

    /// <summary>The logger factory given in <see cref="ActorSystemOptions"/>.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>Timed message delivery.</summary>
    public IScheduler Scheduler => _scheduler;

    /// <summary>Where undeliverable messages go.</summary>
    public IActorRef DeadLetters => LocalProvider.DeadLetters;

    /// <summary>Number of dead letters so far (messages to stopped or unknown actors, replies to no sender).</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Completes when <see cref="Terminate"/> has stopped every actor.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal ILogger KernelLog { get; }

    internal ILogger SupervisionLog { get; }

    internal ILogger DeadLetterLog { get; }

    /// <summary>Creates a top-level actor under <c>/user</c>; a null name gets a generated one.</summary>
    /// <exception cref="InvalidActorNameException">The name is malformed or taken.</exception>
    /// <exception cref="InvalidOperationException">The system is terminating.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.Cell.ActorOf(props, name);

    /// <summary>Creates an infrastructure actor under <c>/system</c> (e.g. <c>/system/cluster</c>); stopped after all user actors.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.Cell.ActorOf(props, name);

    /// <summary>A selection for <paramref name="path"/>: <c>/user/a/b</c>, or a full path on this or another node.</summary>
    public ActorSelection ActorSelection(string path) => new(this, path);

    /// <summary>Resolves a path (local <c>/user/a</c> or full) to a reference; unknown local paths yield a dead-lettering stand-in.</summary>
    public IActorRef ResolveActorRef(string path) => LocalProvider.ResolveActorRef(path);

    /// <summary>
    /// Stops <paramref name="actor"/> asynchronously (children first, then its PostStop). A local actor stops at
    /// once, skipping queued messages; an actor on another node is sent a <see cref="PoisonPill"/>.
    /// </summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Provider.IsLocalAddress(actor.Path.Address)) actor.SendSystemMessage(Kernel.Terminate.Instance);
        else actor.Tell(PoisonPill.Instance);
    }

    /// <summary>
    /// Stops every actor top-down — each actor's children stop (PostStop) before the actor itself — first the
    /// <c>/user</c> tree, then <c>/system</c>, then cancels scheduled deliveries. Idempotent.
    /// </summary>
    /// <returns><see cref="WhenTerminated"/>.</returns>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0)
        {
            KernelLog.LogDebug("Terminating actor system {System}", Name);
            _userGuardian.SendSystemMessage(Kernel.Terminate.Instance);
        }
        return WhenTerminated;
    }

    internal void OnRootGuardianTerminated()
    {
        _scheduler.Dispose();
        KernelLog.LogDebug("Actor system {System} terminated", Name);
        _terminated.TrySetResult();
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        Interlocked.Increment(ref _deadLetterCount);
        if (DeadLetterLog.IsEnabled(LogLevel.Debug))
            DeadLetterLog.LogDebug("Dead letter: {MessageType} from {Sender} to {Recipient} was not delivered (recipient stopped or unknown)",
                message.GetType().FullName, sender?.Path.ToString() ?? "no sender", recipient.Path);
    }

    /// <inheritdoc />
    public override string ToString() => $"ActorSystem({Address})";
}
