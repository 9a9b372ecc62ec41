namespace ActorTrain.Actors.Sync.Transport;

/// <summary>Which collective a <see cref="CollectiveHeader"/> announces.</summary>
internal enum CollectiveOp
{
    AllReduce = 1,
    Broadcast = 2,
    Scalars = 3,
    Barrier = 4,
    InitializeParameters = 5,
    OptimizerPush = 6,
    ReduceScatter = 7,
    AllGather = 8,
    OptimizerApply = 9,
    OptimizerExport = 10,
    OptimizerImport = 11,
}

/// <summary>
/// Sent ahead of each collective's data on every link that carries data, so a peer that made a different call
/// (other operation, length, root or sequence number) is caught at once and named, instead of desynchronising the
/// stream. Encoded as a MessagePack array of four int64s (fixed size).
/// </summary>
internal readonly record struct CollectiveHeader(CollectiveOp Op, long Sequence, long Count, long Argument)
{
    /// <summary>fixarray(4) + four 9-byte int64s.</summary>
    public const int EncodedSize = 1 + 4 * 9;

    public void Encode(Span<byte> destination)
    {
        var writer = new SyncWire.Writer().ArrayHeader(4).Int((int)Op).Int(Sequence).Int(Count).Int(Argument);
        writer.Written.CopyTo(destination);
    }

    public static CollectiveHeader Decode(ReadOnlySpan<byte> source)
    {
        var reader = new SyncWire.Reader(source);
        if (reader.ArrayHeader() != 4) throw new InvalidDataException("collective header must be a 4-element array");
        return new CollectiveHeader((CollectiveOp)reader.Int(), reader.Int(), reader.Int(), reader.Int());
    }

    /// <summary>"all-reduce #3 of 1000 floats (Average)".</summary>
    public string Describe() => Op switch
    {
        CollectiveOp.AllReduce => $"all-reduce #{Sequence} of {Count} floats ({(ReduceOp)Argument})",
        CollectiveOp.Broadcast => $"broadcast #{Sequence} of {Count} floats from rank {Argument}",
        CollectiveOp.Scalars => $"scalar all-reduce #{Sequence} of {Count} values",
        CollectiveOp.Barrier => $"barrier #{Sequence}",
        CollectiveOp.InitializeParameters => $"parameter initialisation #{Sequence} of {Count} floats",
        CollectiveOp.ReduceScatter => $"reduce-scatter #{Sequence} of {Count} floats ({(ReduceOp)Argument})",
        CollectiveOp.AllGather => $"all-gather #{Sequence} of {Count} floats",
        CollectiveOp.OptimizerPush => $"gradient push #{Sequence} of {Count} floats to the shard optimizers",
        CollectiveOp.OptimizerApply => $"shard optimizer step #{Sequence} over {Count} floats",
        CollectiveOp.OptimizerExport => $"shard optimizer state export #{Sequence} of {Argument} buffer(s) of {Count} floats",
        CollectiveOp.OptimizerImport => $"shard optimizer state import #{Sequence} over {Count} floats (step {Argument})",
        _ => $"unknown collective {(int)Op} #{Sequence}",
    };
}
