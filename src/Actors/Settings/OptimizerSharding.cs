namespace ActorTrain.Actors.Settings;

/// <summary>
/// <c>actortrain.job.sync.shard-optimizer</c>: whether each rank steps the optimizer on its shard of the parameters
/// only (gradients reduce-scattered, updated parameters all-gathered, as ZeRO stage 1) or on all of them.
/// </summary>
public enum OptimizerSharding
{
    /// <summary>Shard when the sync strategy has native reduce-scatter and all-gather (the shared-memory arena).</summary>
    Auto,
    /// <summary>Always shard (strategies without native collectives fall back to all-reduce and broadcasts).</summary>
    On,
    /// <summary>Never: every rank all-reduces the gradients and steps the whole optimizer.</summary>
    Off,
}
