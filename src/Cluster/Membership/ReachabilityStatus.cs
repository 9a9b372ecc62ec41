namespace ActorTrain.Cluster.Membership;

/// <summary>What an observer's failure detector says about a subject.</summary>
public enum ReachabilityStatus
{
    /// <summary>Heartbeats arrive.</summary>
    Reachable,

    /// <summary>The failure detector suspects the subject.</summary>
    Unreachable,
}
