namespace ActorTrain.Actors.Training;

/// <summary>One bucket: a contiguous range of the flat gradient buffer holding whole parameters.</summary>
/// <param name="Index">Bucket number; bucket 0 is the first to become ready during backward.</param>
/// <param name="Offset">First element in the flat buffer.</param>
/// <param name="Length">Number of float elements.</param>
/// <param name="FirstParameter">Index (in flat layout order) of the first parameter in the bucket.</param>
/// <param name="ParameterCount">How many parameters the bucket holds.</param>
public readonly record struct GradientBucket(int Index, long Offset, long Length, int FirstParameter, int ParameterCount);

/// <summary>
/// Splits the flat gradient buffer into buckets of at most <c>bucket-cap</c> bytes, following PyTorch DDP's reducer:
/// parameters are laid out in reverse registration order, so the first bucket holds the last layers, whose gradients
/// backward produces first, and its all-reduce can start while backward is still running through earlier layers.
/// A parameter larger than the cap gets a bucket of its own; parameters are never split across buckets.
/// </summary>
public sealed class GradientBucketPlan
{
    /// <summary>The buckets, in the order they become ready.</summary>
    public IReadOnlyList<GradientBucket> Buckets { get; }

    /// <summary>For each parameter (flat layout order), the bucket it belongs to.</summary>
    public IReadOnlyList<int> BucketOfParameter { get; }

    /// <summary>Total elements covered (the flat buffer's length).</summary>
    public long TotalLength { get; }

    /// <summary>
    /// Rank <paramref name="rank"/>'s <see cref="Sync.ShardPartition"/> shard of every bucket, as flat-buffer ranges
    /// (ascending; empty shards dropped): what a bucketed reduce-scatter leaves summed on that rank.
    /// </summary>
    public IReadOnlyList<(int Offset, int Length)> ShardsOf(int rank, int world)
    {
        var shards = new List<(int Offset, int Length)>(Buckets.Count);
        foreach (var bucket in Buckets)
        {
            var (offset, length) = Sync.ShardPartition.Of(checked((int)bucket.Length), world, rank);
            if (length > 0) shards.Add((checked((int)bucket.Offset + offset), length));
        }
        return shards;
    }

    /// <summary>
    /// Plans buckets for parameters of the given element counts, in flat layout order (which is reverse registration
    /// order), each starting where the previous ended.
    /// </summary>
    public GradientBucketPlan(IReadOnlyList<long> parameterLengths, long bucketCapBytes)
    {
        if (bucketCapBytes < sizeof(float))
            throw new ArgumentOutOfRangeException(nameof(bucketCapBytes), bucketCapBytes, "actortrain.job.sync.bucket-cap must be at least 4 bytes (one float).");
        var capElements = bucketCapBytes / sizeof(float);
        var buckets = new List<GradientBucket>();
        var owner = new int[parameterLengths.Count];
        long offset = 0, start = 0, length = 0;
        var first = 0;
        for (var i = 0; i < parameterLengths.Count; i++)
        {
            var n = parameterLengths[i];
            if (n < 0) throw new ArgumentException($"parameter {i} has negative length {n}", nameof(parameterLengths));
            if (length > 0 && length + n > capElements)
            {
                buckets.Add(new GradientBucket(buckets.Count, start, length, first, i - first));
                start = offset; length = 0; first = i;
            }
            owner[i] = buckets.Count;
            length += n;
            offset += n;
        }
        if (parameterLengths.Count > 0)
            buckets.Add(new GradientBucket(buckets.Count, start, length, first, parameterLengths.Count - first));
        Buckets = buckets;
        BucketOfParameter = owner;
        TotalLength = offset;
    }
}
