namespace ActorTrain.Cluster.Kernel;

/// <summary>Applies the decided directive to the failed child only (Akka's default kind of strategy).</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    /// <summary>Unlimited restarts, directive from <paramref name="decider"/>.</summary>
    public OneForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/>, then Stop.</summary>
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <inheritdoc />
    public override bool AppliesToAllChildren => false;
}
