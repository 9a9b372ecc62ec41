namespace ActorTrain.Actors.Sync;

/// <summary>
/// All-gather for strategies without a native one: one broadcast per rank, rooted at the owner of each
/// <see cref="ShardPartition"/> shard (empty shards are skipped alike on every rank). Bitwise, like any broadcast.
/// </summary>
public static class AllGatherByBroadcasts
{
    /// <summary>
    /// Fills every shard of <paramref name="buffer"/> from its owner over <paramref name="sync"/>'s broadcasts. All
    /// broadcasts are issued before this returns (collectives queue in call order), so all-gathers started back to back,
    /// like any other collectives, reach every rank in the same order.
    /// </summary>
    public static Task RunAsync(IGradientSync sync, Memory<float> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        var broadcasts = new List<Task>(sync.WorldSize);
        for (var owner = 0; owner < sync.WorldSize; owner++)
        {
            var (offset, length) = ShardPartition.Of(buffer.Length, sync.WorldSize, owner);
            if (length > 0) broadcasts.Add(sync.BroadcastAsync(buffer.Slice(offset, length), owner, cancellationToken));
        }
        return Task.WhenAll(broadcasts);
    }
}
