using System.Net;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync;

/// <summary>Creates the configured <see cref="IGradientSync"/> and parses the strategy and transport settings.</summary>
public static class GradientSyncFactory
{
    /// <summary>
    /// Joins the group with <paramref name="strategy"/>; every link presents <see cref="SyncRendezvous.DataLinkToken"/>. Ring: connects to the neighbours through
    /// <see cref="SyncRendezvous.Listener"/> (or a listener bound at this rank's endpoint, owned by the result).
    /// Parameter server: connects to every shard in <see cref="SyncRendezvous.ParameterServers"/>, which the
    /// hosting nodes must have started (<see cref="ParameterServerShard.Start"/>).
    /// </summary>
    public static async Task<IGradientSync> CreateAsync(
        SyncStrategy strategy, SyncRendezvous rendezvous, GradientSyncOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        SyncTopology.ValidateRanks(rendezvous.Ranks, rendezvous.LocalRank);
        switch (strategy)
        {
            case SyncStrategy.Ring:
                var listener = rendezvous.Listener;
                bool owned = listener is null;
                var self = rendezvous.Ranks[rendezvous.LocalRank];
                listener ??= SyncListener.Bind(new IPEndPoint(IPAddress.TryParse(self.Host, out var ip) ? ip : IPAddress.Any, self.Port), options);
                try
                {
                    var ring = await RingAllReduceSync.CreateAsync(listener, rendezvous.Ranks, rendezvous.LocalRank, rendezvous.DataLinkToken, options,
                        cancellationToken).ConfigureAwait(false);
                    if (owned) ring.OwnedListener = listener;
                    return ring;
                }
                catch
                {
                    if (owned) await listener.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            case SyncStrategy.ParameterServer:
                return await ParameterServerSync.CreateAsync(rendezvous.ParameterServers, rendezvous.Ranks[rendezvous.LocalRank],
                    rendezvous.Ranks.Count, rendezvous.DataLinkToken, options, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown sync strategy");
        }
    }

    /// <summary>Parses <c>actortrain.job.sync.strategy</c>: "ring" or "parameter-server".</summary>
    public static SyncStrategy ParseStrategy(string value) => value.Trim().ToLowerInvariant() switch
    {
        "ring" => SyncStrategy.Ring,
        "parameter-server" or "ps" => SyncStrategy.ParameterServer,
        _ => throw new ArgumentException($"sync strategy '{value}' is not known; use ring or parameter-server", nameof(value)),
    };

    /// <summary>Parses a transport setting: "auto", "tcp", "shared-memory" or "akka".</summary>
    public static TransportKind ParseTransport(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" => TransportKind.Auto,
        "tcp" => TransportKind.Tcp,
        "shared-memory" or "shm" => TransportKind.SharedMemory,
        "akka" => TransportKind.Akka,
        _ => throw new ArgumentException($"sync transport '{value}' is not known; use auto, tcp, shared-memory or akka", nameof(value)),
    };

    /// <summary>The spelling of <paramref name="transport"/> that <see cref="ParseTransport"/> reads (for command lines of worker processes).</summary>
    public static string TransportName(TransportKind transport) => transport switch
    {
        TransportKind.Auto => "auto",
        TransportKind.Tcp => "tcp",
        TransportKind.SharedMemory => "shared-memory",
        TransportKind.Akka => "akka",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "unknown sync transport"),
    };
}
