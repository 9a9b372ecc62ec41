namespace ActorTrain.Cluster.Membership;

/// <summary>A failure detector for one monitored resource (a node), fed by heartbeats.</summary>
public interface IFailureDetector
{
    /// <summary>False once the resource is considered failed. A resource never heard from counts as available.</summary>
    bool IsAvailable { get; }

    /// <summary>True once at least one heartbeat has arrived.</summary>
    bool IsMonitoring { get; }

    /// <summary>Records a heartbeat arriving now.</summary>
    void Heartbeat();
}
