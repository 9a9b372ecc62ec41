namespace ActorTrain.Cluster.Membership;

/// <summary>A monotonic clock in milliseconds (never goes backwards; unrelated to wall-clock time). Injectable for tests.</summary>
public interface IClock
{
    /// <summary>Milliseconds since an arbitrary fixed origin.</summary>
    long NowMilliseconds { get; }
}
