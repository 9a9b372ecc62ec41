namespace ActorTrain.Cluster.Membership;

/// <summary>How two vector clocks relate.</summary>
public enum VectorClockOrdering
{
    /// <summary>Identical.</summary>
    Same,

    /// <summary>The first happened before the second.</summary>
    Before,

    /// <summary>The first happened after the second.</summary>
    After,

    /// <summary>Neither dominates: concurrent changes that must be merged.</summary>
    Concurrent,
}
