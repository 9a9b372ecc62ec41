namespace ActorTrain.Cluster.Membership;

/// <summary>Lifecycle state of a cluster member, as in Akka.Cluster.</summary>
public enum MemberStatus
{
    /// <summary>Joined, waiting for the leader to move it Up.</summary>
    Joining,

    /// <summary>Full member.</summary>
    Up,

    /// <summary>Asked to leave gracefully; the leader moves it to Exiting on convergence.</summary>
    Leaving,

    /// <summary>Leaving is agreed; the leader removes it on the next convergence.</summary>
    Exiting,

    /// <summary>Declared dead (by an operator or a downing rule); the leader removes it.</summary>
    Down,

    /// <summary>No longer part of the cluster (tombstone).</summary>
    Removed,
}
