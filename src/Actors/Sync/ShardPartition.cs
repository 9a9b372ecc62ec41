namespace ActorTrain.Actors.Sync;

/// <summary>
/// How a buffer of a given length is split into one contiguous shard per rank for reduce-scatter and all-gather (and
/// so for the sharded optimizer): shard r starts at ⌊r·length/W⌋ rounded up to 16 floats (one cache line, so shards
/// written by different ranks never share a line) and ends where shard r+1 starts. Shards tile the buffer in rank
/// order; with fewer than 16·W elements some are empty.
/// </summary>
public static class ShardPartition
{
    /// <summary>First element of rank <paramref name="rank"/>'s shard (<paramref name="length"/> for rank = world).</summary>
    public static int Start(int length, int world, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(world, 1);
        if (rank < 0 || rank > world) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in 0..{world}");
        return rank == world ? length : (int)Math.Min(length, ((long)rank * length / world + 15) & ~15L);
    }

    /// <summary>Rank <paramref name="rank"/>'s shard of a buffer of <paramref name="length"/> elements.</summary>
    public static (int Offset, int Length) Of(int length, int world, int rank)
    {
        var start = Start(length, world, rank);
        return (start, Start(length, world, rank + 1) - start);
    }
}
