namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// How to create an actor: a factory plus optional dispatcher and supervision settings. Immutable;
/// the <c>With*</c> methods return copies.
/// </summary>
public sealed class Props
{
    /// <summary>Messages an actor processes per scheduling turn unless <see cref="WithThroughput"/> says otherwise.</summary>
    public const int DefaultThroughput = 100;

    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, int throughput, SupervisorStrategy? supervisorStrategy)
    {
        ActorType = actorType;
        _factory = factory;
        Throughput = throughput;
        SupervisorStrategy = supervisorStrategy;
    }

    /// <summary>Props for an actor with a parameterless constructor.</summary>
    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor(), DefaultThroughput, null);

    /// <summary>Props whose <paramref name="factory"/> builds a new instance each time (called again on restart).</summary>
    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, DefaultThroughput, null);
    }

    /// <summary>The actor class.</summary>
    public Type ActorType { get; }

    /// <summary>Dispatcher setting: messages processed per turn on a pool thread before yielding (fairness vs throughput).</summary>
    public int Throughput { get; }

    /// <summary>The strategy the actor applies to its children, overriding the actor's own <c>SupervisorStrategy()</c>; null = the actor's.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>A copy with a different <see cref="Throughput"/> (at least 1).</summary>
    public Props WithThroughput(int messagesPerTurn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messagesPerTurn, 1);
        return new Props(ActorType, _factory, messagesPerTurn, SupervisorStrategy);
    }

    /// <summary>A copy whose actor supervises its children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(ActorType, _factory, Throughput, strategy);
    }

    internal ActorBase NewActor() => _factory();
}
