namespace ActorTrain.Cluster.Kernel;

/// <summary>Applies Restart/Stop to all children when one fails (for children that only make sense together).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    /// <summary>Unlimited restarts, directive from <paramref name="decider"/>.</summary>
    public AllForOneStrategy(Func<Exception, Directive> decider) : base(-1, null, decider) { }

    /// <summary>At most <paramref name="maxNrOfRetries"/> restarts within <paramref name="withinTimeRange"/>, then Stop.</summary>
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan? withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    /// <inheritdoc />
    public override bool AppliesToAllChildren => true;
}
