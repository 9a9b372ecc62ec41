using System.Buffers;
using MessagePack;

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
/// stream. Encoded with MessagePack-CSharp as the map {"op": int32, "seq": int64, "count": int64, "arg": int64} in
/// fixed-width codes, so every header has the same size (<see cref="EncodedSize"/>).
/// </summary>
internal readonly record struct CollectiveHeader(CollectiveOp Op, long Sequence, long Count, long Argument)
{
    /// <summary>fixmap(4), the four keys, an int32 and three int64s.</summary>
    public const int EncodedSize = 1 + (1 + 2) + 5 + (1 + 3) + 9 + (1 + 5) + 9 + (1 + 3) + 9;

    private const string What = "collective header";

    /// <summary>Writes the header (exactly <see cref="EncodedSize"/> bytes) with <see cref="T:MessagePack.MessagePackWriter"/>.</summary>
    public void Encode(IBufferWriter<byte> destination)
    {
        var writer = new MessagePackWriter(destination);
        writer.WriteMapHeader(4);
        writer.Write("op"); writer.WriteInt32((int)Op);
        writer.Write("seq"); writer.WriteInt64(Sequence);
        writer.Write("count"); writer.WriteInt64(Count);
        writer.Write("arg"); writer.WriteInt64(Argument);
        writer.Flush();
    }

    /// <summary>Reads a header with <see cref="T:MessagePack.MessagePackReader"/>; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static CollectiveHeader Decode(ReadOnlyMemory<byte> source) => SyncMessage.Decode(source, What, (ref MessagePackReader r) =>
    {
        int? op = null;
        long? sequence = null, count = null, argument = null;
        SyncMessage.ReadMap(ref r, What, (string key, ref MessagePackReader v) =>
        {
            switch (key)
            {
                case "op": op = v.ReadInt32(); break;
                case "seq": sequence = v.ReadInt64(); break;
                case "count": count = v.ReadInt64(); break;
                case "arg": argument = v.ReadInt64(); break;
                default: v.Skip(); break;
            }
        });
        return new CollectiveHeader((CollectiveOp)SyncMessage.Required(op, "op", What), SyncMessage.Required(sequence, "seq", What),
            SyncMessage.Required(count, "count", What), SyncMessage.Required(argument, "arg", What));
    });

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
