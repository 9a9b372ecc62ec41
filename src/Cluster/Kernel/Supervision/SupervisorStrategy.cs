namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// How a parent handles a failing child: a decider maps the exception to a <see cref="Directive"/>, and a
/// restart budget (<see cref="MaxNrOfRetries"/> within <see cref="WithinTimeRange"/>) turns too many restarts into Stop.
/// Override <c>ActorBase.SupervisorStrategy()</c> to choose the strategy an actor applies to its children.
/// </summary>
public abstract class SupervisorStrategy
{
    private readonly Func<Exception, Directive> _decider;

    /// <summary>Creates a strategy.</summary>
    /// <param name="maxNrOfRetries">Restarts allowed per child within the time range; negative means unlimited.</param>
    /// <param name="withinTimeRange">The window for <paramref name="maxNrOfRetries"/>; null means for the child's lifetime.</param>
    /// <param name="decider">Maps a failure to a directive.</param>
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        _decider = decider;
    }

    /// <summary>Akka's default: Stop on initialization failure, Kill and death pact; Restart on anything else.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Akka's default decider (see <see cref="DefaultStrategy"/>).</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Restarts allowed per child within <see cref="WithinTimeRange"/>; negative means unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window for <see cref="MaxNrOfRetries"/>; null means the child's lifetime.</summary>
    public TimeSpan? WithinTimeRange { get; }

    /// <summary>True when a directive applies to every child (all-for-one), false for only the failed one.</summary>
    public abstract bool AppliesToAllChildren { get; }

    /// <summary>The directive for <paramref name="cause"/>; a throwing decider escalates.</summary>
    public Directive Decide(Exception cause)
    {
        try
        {
            return _decider(cause);
        }
        catch (Exception)
        {
            return Directive.Escalate;
        }
    }
}
