namespace ActorTrain.Actors.Sync.ParameterServer;

/// <summary>
/// The optimizer a parameter-server shard applies to the flat parameter range it owns
/// (<c>actortrain.job.sync.ps.apply-optimizer</c>): AdamW or SGD over that range, with its state buffers. Created by
/// the shard when the parameters are initialised; stepped on the shard's serving thread with the gradient summed over
/// ranks in rank order and already scaled (averaging and clipping) by the factor every rank sent.
/// </summary>
public interface IShardOptimizer
{
    /// <summary>Names of the state buffers, in ordinal order (the order they travel in for checkpoints).</summary>
    IReadOnlyList<string> StateBufferNames { get; }

    /// <summary>Optimizer steps taken.</summary>
    long StepCount { get; }

    /// <summary>Updates <paramref name="parameters"/> (this shard's range) in place from <paramref name="gradients"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate);

    /// <summary>A copy of the state buffers (this shard's range), one per <see cref="StateBufferNames"/>, in that order.</summary>
    IReadOnlyList<float[]> ExportState();

    /// <summary>Replaces the state with <paramref name="buffers"/> (one per <see cref="StateBufferNames"/>, this shard's range) after <paramref name="stepCount"/> steps.</summary>
    void ImportState(IReadOnlyList<float[]> buffers, long stepCount);
}
