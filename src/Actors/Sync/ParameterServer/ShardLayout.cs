namespace ActorTrain.Actors.Sync.ParameterServer;

/// <summary>
/// Deterministic cut of a flat buffer of <c>length</c> floats into <c>shards</c> contiguous ranges whose sizes differ
/// by at most one (shard k starts at ⌊k·L/K⌋), and of each range into transfer chunks. Clients and servers compute
/// the same layout from the same numbers, so no layout is ever sent.
/// </summary>
public static class ShardLayout
{
    /// <summary>Start and length of shard <paramref name="shard"/>.</summary>
    public static (int Start, int Length) Range(int length, int shards, int shard)
    {
        int start = (int)((long)shard * length / shards);
        int end = (int)((long)(shard + 1) * length / shards);
        return (start, end - start);
    }

    /// <summary>Number of chunks of at most <paramref name="chunkFloats"/> in a range of <paramref name="length"/> floats.</summary>
    public static int ChunkCount(int length, int chunkFloats) => (length + chunkFloats - 1) / chunkFloats;

    /// <summary>
    /// The order in which a client moves (shard, chunk) pieces: chunk 0 of every shard, then chunk 1, … so all
    /// servers work at once. Offsets are relative to the whole buffer.
    /// </summary>
    public static IEnumerable<(int Shard, int Offset, int Length)> InterleavedChunks(int length, int shards, int chunkFloats)
    {
        int maxChunks = 0;
        for (int k = 0; k < shards; k++)
            maxChunks = Math.Max(maxChunks, ChunkCount(Range(length, shards, k).Length, chunkFloats));
        for (int c = 0; c < maxChunks; c++)
        {
            for (int k = 0; k < shards; k++)
            {
                var (start, shardLength) = Range(length, shards, k);
                int offset = c * chunkFloats;
                if (offset < shardLength)
                    yield return (k, start + offset, Math.Min(chunkFloats, shardLength - offset));
            }
        }
    }
}
