namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.sync.strategy</c>: how ranks keep gradients in sync.</summary>
public enum SyncStrategy
{
    /// <summary>Ring all-reduce: reduce-scatter then all-gather around the ranks ("ring").</summary>
    Ring,
    /// <summary>Sharded parameter-server actors ("parameter-server").</summary>
    ParameterServer,
}
