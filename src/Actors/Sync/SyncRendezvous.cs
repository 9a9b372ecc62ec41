using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync;

/// <summary>
/// Who is who in a sync group, as cluster membership determines it: every rank's endpoint (index = rank), this
/// process's rank, and for the parameter-server strategy every shard's endpoint (index = shard).
/// <see cref="Listener"/> is this rank's already bound listener; when null the ring binds one at its own endpoint.
/// <see cref="DataLinkToken"/> is the job's secret that every data link presents and every listener requires.
/// </summary>
public sealed record SyncRendezvous(int LocalRank, IReadOnlyList<PeerEndpoint> Ranks, IReadOnlyList<PeerEndpoint> ParameterServers)
{
    /// <summary>
    /// The job's data-link token: <see cref="Transport.DataLinkToken.Length"/> random bytes drawn once per job
    /// (<see cref="Transport.DataLinkToken.Create"/>) and handed out with the rendezvous.
    /// </summary>
    public required byte[] DataLinkToken { get; init; }

    /// <summary>This rank's bound listener (ring strategy), or null to bind <c>Ranks[LocalRank]</c>.</summary>
    public SyncListener? Listener { get; init; }
}
