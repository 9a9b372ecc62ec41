namespace ActorTrain.Model.Optim;

/// <summary>
/// An optimizer over one contiguous range (a shard, or all) of the flat float32 parameter buffer.
/// It owns state only for that range, so a parameter-server shard can hold its own optimizer.
/// </summary>
/// <remarks>
/// Why not TorchSharp's <c>torch.optim.AdamW</c>/<c>SGD</c>: those hold state per parameter tensor, while ZeRO-1 and the
/// parameter-server shards step arbitrary element ranges of the flat buffer that cut through parameters (bucket shards),
/// and the sharded step must be bitwise the same as the unsharded one — which an element-wise update over the ranges
/// gives by construction (checked against torch.optim in tests/Model.Tests/Optim). Everything else in the model is
/// TorchSharp's.
/// </remarks>
public interface IFlatOptimizer
{
    /// <summary>Kind written into checkpoints ("adamw", "sgd").</summary>
    string Kind { get; }

    /// <summary>First element of the shard in full flat-buffer coordinates.</summary>
    int ShardOffset { get; }

    /// <summary>Number of elements in the shard.</summary>
    int ShardLength { get; }

    /// <summary>Number of steps taken.</summary>
    long StepCount { get; }

    /// <summary>
    /// One update of the shard. <paramref name="parameters"/> and <paramref name="gradients"/> are the shard's
    /// elements (length <see cref="ShardLength"/>), not the full buffer. Allocates nothing.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate);

    /// <summary>A copy of the state, for checkpoints.</summary>
    OptimizerState ExportState();

    /// <summary>Replaces the state with <paramref name="state"/>, which must cover exactly this shard.</summary>
    void ImportState(OptimizerState state);
}
