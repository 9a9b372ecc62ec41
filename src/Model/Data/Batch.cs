namespace ActorTrain.Model.Data;

/// <summary>
/// A collated batch: row-major int64 arrays [BatchSize, SequenceLength] of inputs and next-token targets
/// (-100 on padding and wherever no loss is taken).
/// </summary>
public sealed class Batch
{
    /// <summary>Creates a batch; arrays must hold batchSize × sequenceLength elements.</summary>
    public Batch(long[] inputs, long[] targets, int batchSize, int sequenceLength, int targetTokenCount)
    {
        if (inputs.Length != (long)batchSize * sequenceLength || targets.Length != inputs.Length)
        {
            throw new ArgumentException($"A batch of [{batchSize}, {sequenceLength}] needs {batchSize * sequenceLength} inputs and targets; got {inputs.Length} and {targets.Length}.");
        }
        Inputs = inputs;
        Targets = targets;
        BatchSize = batchSize;
        SequenceLength = sequenceLength;
        TargetTokenCount = targetTokenCount;
    }

    /// <summary>Input token ids, [BatchSize, SequenceLength] row-major.</summary>
    public long[] Inputs { get; }

    /// <summary>Target token ids, [BatchSize, SequenceLength] row-major; -100 where ignored.</summary>
    public long[] Targets { get; }

    /// <summary>Rows.</summary>
    public int BatchSize { get; }

    /// <summary>Columns (T).</summary>
    public int SequenceLength { get; }

    /// <summary>Number of targets that are not -100: the divisor of a sum-reduced loss.</summary>
    public int TargetTokenCount { get; }

    /// <summary>Packed batches: the position of each input within its own sample (restarting at 0 per sample), else null.</summary>
    public long[]? PositionIds { get; init; }

    /// <summary>Packed batches: which sample of its row each position belongs to (attention stays inside a sample;
    /// padding is a segment of its own), else null.</summary>
    public long[]? SegmentIds { get; init; }

    /// <summary>Input positions that are padding (no sample's token).</summary>
    public int PaddingPositions { get; init; }

    /// <summary>Shape as [BatchSize, SequenceLength], for tensor creation.</summary>
    public long[] Shape => [BatchSize, SequenceLength];
}
