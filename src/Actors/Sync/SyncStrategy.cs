namespace ActorTrain.Actors.Sync;

/// <summary>Which gradient-sync strategy a job uses (<c>actortrain.job.sync.strategy</c>).</summary>
public enum SyncStrategy
{
    /// <summary>Ring all-reduce: reduce-scatter then all-gather around the ring of ranks (<c>ring</c>).</summary>
    Ring = 0,

    /// <summary>Sharded parameter servers: ranks push shards, the owning server sums and answers pulls (<c>parameter-server</c>).</summary>
    ParameterServer = 1,
}
