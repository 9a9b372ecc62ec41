namespace ActorTrain.Actors.Sync;

/// <summary>
/// All-gather for strategies without a native one: one broadcast per rank, rooted at the owner of each
/// <see cref="ShardPartition"/> shard (empty shards are skipped alike on every rank). Bitwise, like any broadcast.
/// </summary>
public static class AllGatherByBroadcasts
{
    /// <summary>Fills every shard of <paramref name="buffer"/> from its owner over <paramref name="sync"/>'s broadcasts.</summary>
    public static async Task RunAsync(IGradientSync sync, Memory<float> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sync);
        for (var owner = 0; owner < sync.WorldSize; owner++)
        {
            var (offset, length) = ShardPartition.Of(buffer.Length, sync.WorldSize, owner);
            if (length > 0) await sync.BroadcastAsync(buffer.Slice(offset, length), owner, cancellationToken).ConfigureAwait(false);
        }
    }
}
