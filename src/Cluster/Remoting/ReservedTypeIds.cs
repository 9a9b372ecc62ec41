namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Message type ids used by ActorTrain.Cluster itself. Ids 1..99 are reserved for the cluster substrate; application
/// messages (training, sync) must register ids of 100 and above.
/// </summary>
public static class ReservedTypeIds
{
    /// <summary>Lowest id available to applications.</summary>
    public const int FirstApplicationId = 100;

    /// <summary>Remote DeathWatch: watch request.</summary>
    public const int RemoteWatch = 1;

    /// <summary>Remote DeathWatch: unwatch request.</summary>
    public const int RemoteUnwatch = 2;

    /// <summary>Remote DeathWatch: the watched actor stopped.</summary>
    public const int RemoteDeathWatchNotification = 3;

    /// <summary>A string message (handy for tests, pings and tooling).</summary>
    public const int String = 4;

    /// <summary>Status.Failure reply to an Ask, carried as the exception's type name and message.</summary>
    public const int StatusFailure = 5;

    /// <summary>First id of the membership protocol messages (InitJoin … HeartbeatResponse).</summary>
    public const int FirstClusterId = 10;
}
