namespace ActorTrain.Actors.Sync;

/// <summary>How an all-reduce combines the ranks' buffers.</summary>
public enum ReduceOp
{
    /// <summary>Element-wise sum over all ranks.</summary>
    Sum = 0,

    /// <summary>Element-wise sum divided by the world size (divided once, identically on every rank).</summary>
    Average = 1,
}
