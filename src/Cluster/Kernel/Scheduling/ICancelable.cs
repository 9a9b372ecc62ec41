namespace ActorTrain.Cluster.Kernel;

/// <summary>A handle to a scheduled delivery.</summary>
public interface ICancelable
{
    /// <summary>Stops future deliveries (a delivery already running completes).</summary>
    void Cancel();

    /// <summary>True once <see cref="Cancel"/> was called or the system shut the scheduler down.</summary>
    bool IsCancellationRequested { get; }
}
