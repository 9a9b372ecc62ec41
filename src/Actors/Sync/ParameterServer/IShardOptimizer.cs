namespace ActorTrain.Actors.Sync.ParameterServer;

/// <summary>
/// An optimizer a parameter-server shard applies to the parameters it owns (e.g. AdamW over a flat shard, with its
/// moment buffers indexed by global offset). Called once per training step per shard, on the shard's serving thread,
/// with the gradient already summed over ranks in rank order (and averaged when the step asked for it).
/// </summary>
public interface IShardOptimizer
{
    /// <summary>
    /// Updates <paramref name="paramShard"/> in place from <paramref name="gradShard"/>; both cover the flat parameter
    /// range starting at <paramref name="shardOffset"/>.
    /// </summary>
    void Step(Span<float> paramShard, ReadOnlySpan<float> gradShard, long shardOffset);
}
