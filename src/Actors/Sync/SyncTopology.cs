using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync;

/// <summary>Rendezvous checks and the transport choice shared by the strategies.</summary>
internal static class SyncTopology
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="ranks"/>[i].Rank == i and the local rank is one of them.</summary>
    public static void ValidateRanks(IReadOnlyList<PeerEndpoint> ranks, int localRank)
    {
        if (ranks.Count == 0) throw new ArgumentException("the sync group needs at least one rank endpoint", nameof(ranks));
        for (int i = 0; i < ranks.Count; i++)
            if (ranks[i].Rank != i)
                throw new ArgumentException($"rank endpoints must be listed in rank order: entry {i} is rank {ranks[i].Rank}", nameof(ranks));
        if (localRank < 0 || localRank >= ranks.Count)
            throw new ArgumentOutOfRangeException(nameof(localRank), $"local rank {localRank} is outside the world of {ranks.Count} ranks");
    }

    /// <summary>The data channel of a link from <paramref name="self"/> to <paramref name="peer"/> under <paramref name="transport"/>.</summary>
    public static LinkChannel ChannelFor(TransportKind transport, PeerEndpoint self, PeerEndpoint peer) =>
        transport == TransportKind.Akka ? LinkChannel.Akka
        : UseSharedMemory(transport, self, peer) ? LinkChannel.SharedMemory : LinkChannel.Tcp;

    /// <summary>Shared memory when both ends are on one machine (Auto) or when forced; TCP (or Akka, when forced) otherwise.</summary>
    public static bool UseSharedMemory(TransportKind transport, PeerEndpoint self, PeerEndpoint peer) => transport switch
    {
        TransportKind.Tcp or TransportKind.Akka => false,
        TransportKind.Auto => self.IsSameMachineAs(peer),
        TransportKind.SharedMemory when self.IsSameMachineAs(peer) => true,
        _ => throw new ArgumentException(
            $"transport shared-memory was forced, but rank {self.Rank} ({self.Address}) and {Describe(peer)} are on different machines; use auto or tcp"),
    };

    /// <summary>
    /// Whether some link of the ring over <paramref name="ranks"/> (rank i to rank i+1) is TCP (or Akka, which is chunked like it). Every rank computes the
    /// same answer from the same endpoints, so it can choose settings that all ranks must share (the chunk size).
    /// </summary>
    public static bool RingHasTcpLink(TransportKind transport, IReadOnlyList<PeerEndpoint> ranks) =>
        ranks.Count > 1 && Enumerable.Range(0, ranks.Count).Any(i => !UseSharedMemory(transport, ranks[i], ranks[(i + 1) % ranks.Count]));

    /// <summary>"rank 2 at 127.0.0.1:5002 on machine m".</summary>
    public static string Describe(PeerEndpoint endpoint) => $"rank {endpoint.Rank} at {endpoint.Address}";
}
