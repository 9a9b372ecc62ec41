using System.Net;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync;

/// <summary>
/// A whole sync group inside one process, over real loopback TCP or shared memory (tests, benchmarks, one-process
/// simulations): binds a listener per rank (and per parameter-server shard) on 127.0.0.1 with free ports, builds
/// the rendezvous and joins every member. All members share one machine id, so Auto picks shared memory.
/// </summary>
public sealed class InProcessSyncGroup : IAsyncDisposable
{
    private InProcessSyncGroup(IGradientSync[] members, ParameterServerShard[] servers, PeerEndpoint[] endpoints, byte[] dataLinkToken)
    {
        Members = members;
        Servers = servers;
        Endpoints = endpoints;
        DataLinkToken = dataLinkToken;
    }

    /// <summary>Every rank's endpoint, index = rank (port 0 for the parameter-server strategy: ranks do not listen).</summary>
    public IReadOnlyList<PeerEndpoint> Endpoints { get; }

    /// <summary>The group's data-link token, drawn for it alone.</summary>
    public byte[] DataLinkToken { get; }

    /// <summary>The members, index = rank.</summary>
    public IReadOnlyList<IGradientSync> Members { get; }

    /// <summary>The parameter-server shards (empty for the ring).</summary>
    public IReadOnlyList<ParameterServerShard> Servers { get; }

    /// <summary>Creates and joins a group of <paramref name="worldSize"/> members.</summary>
    public static async Task<InProcessSyncGroup> CreateAsync(
        int worldSize, SyncStrategy strategy, GradientSyncOptions options, int parameterServerShards = 1,
        Func<int, int, IShardOptimizer>? shardOptimizer = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        string machine = $"in-process-{Environment.ProcessId}";
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        byte[] token = Transport.DataLinkToken.Create();
        var servers = new List<ParameterServerShard>();
        var listeners = new List<SyncListener>();
        try
        {
            var serverEndpoints = new List<PeerEndpoint>();
            if (strategy == SyncStrategy.ParameterServer)
            {
                for (int k = 0; k < parameterServerShards; k++)
                {
                    var shard = ParameterServerShard.Start(SyncListener.Bind(loopback, options, token), k, parameterServerShards, worldSize, options,
                        shardOptimizer);
                    servers.Add(shard);
                    serverEndpoints.Add(new PeerEndpoint(k, "127.0.0.1", shard.LocalEndpoint.Port, machine));
                }
            }
            else
            {
                for (int r = 0; r < worldSize; r++) listeners.Add(SyncListener.Bind(loopback, options, token));
            }
            var ranks = Enumerable.Range(0, worldSize)
                .Select(r => new PeerEndpoint(r, "127.0.0.1", listeners.Count > 0 ? listeners[r].LocalEndpoint.Port : 0, machine)).ToArray();
            var joins = Enumerable.Range(0, worldSize).Select(async r =>
            {
                IGradientSync member = strategy == SyncStrategy.Ring
                    ? await RingAllReduceSync.CreateAsync(listeners[r], ranks, r, token, options, cancellationToken).ConfigureAwait(false)
                    : await ParameterServerSync.CreateAsync(serverEndpoints, ranks[r], worldSize, token, options, cancellationToken).ConfigureAwait(false);
                if (member is RingAllReduceSync ring) ring.OwnedListener = listeners[r];
                return member;
            }).ToArray();
            try
            {
                return new InProcessSyncGroup(await Task.WhenAll(joins).ConfigureAwait(false), [.. servers], ranks, token);
            }
            catch
            {
                foreach (var join in joins.Where(j => j.IsCompletedSuccessfully)) await join.Result.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            foreach (var server in servers) await server.DisposeAsync().ConfigureAwait(false);
            foreach (var listener in listeners) await listener.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="collective"/> on every member concurrently and returns their results by rank.</summary>
    public Task<T[]> OnAllAsync<T>(Func<IGradientSync, Task<T>> collective) =>
        Task.WhenAll(Members.Select(member => Task.Run(() => collective(member))));

    /// <summary>Runs <paramref name="collective"/> on every member concurrently.</summary>
    public Task OnAllAsync(Func<IGradientSync, Task> collective) =>
        Task.WhenAll(Members.Select(member => Task.Run(() => collective(member))));

    /// <summary>Disposes the members, then the shards.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Members.Select(m => m.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var server in Servers) await server.DisposeAsync().ConfigureAwait(false);
    }
}
