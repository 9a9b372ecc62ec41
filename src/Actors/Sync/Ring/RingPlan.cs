namespace ActorTrain.Actors.Sync.Ring;

/// <summary>
/// How a buffer is cut for the ring: <c>world</c> contiguous segments whose sizes differ by at most one element
/// (segment s starts at ⌊s·L/W⌋, so any length works, including L &lt; W, where some segments are empty), each cut
/// into chunks of at most <c>chunkFloats</c> elements, the unit of pipelining. Every rank computes the same plan.
/// </summary>
internal readonly struct RingPlan(int length, int world, int chunkFloats)
{
    public int SegmentStart(int segment) => (int)((long)segment * length / world);

    public int SegmentLength(int segment) => SegmentStart(segment + 1) - SegmentStart(segment);

    public int ChunkCount(int segment) => (SegmentLength(segment) + chunkFloats - 1) / chunkFloats;

    /// <summary>Offset and length of chunk <paramref name="chunk"/> of <paramref name="segment"/> within the buffer.</summary>
    public (int Offset, int Length) Chunk(int segment, int chunk)
    {
        int start = SegmentStart(segment) + chunk * chunkFloats;
        return (start, Math.Min(chunkFloats, SegmentStart(segment + 1) - start));
    }
}
