using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using ActorTrain.Cluster.Remoting;
using ActorTrain.Cluster.Settings;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// One running cluster node: an <see cref="ActorSystem"/> bound to host:port with remoting, and its
/// <see cref="Membership.Cluster"/> already joining the configured seed nodes. This is what <c>actortrain node</c> hosts.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private int _stopped;

    private ClusterNode(ActorSystem system, ActorRemoting remoting, Cluster cluster, ILogger log)
    {
        System = system;
        Remoting = remoting;
        Cluster = cluster;
        Log = log;
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The node's remoting.</summary>
    public ActorRemoting Remoting { get; }

    /// <summary>The node's membership facade.</summary>
    public Cluster Cluster { get; }

    /// <summary>The node's network address.</summary>
    public Address Address => Cluster.SelfAddress;

    private ILogger Log { get; }

    /// <summary>
    /// Starts a node: creates the actor system, binds remoting (port 0 picks a free one), starts <c>/system/cluster</c> and
    /// joins <see cref="ClusterSettings.SeedNodes"/> (none: forms a cluster alone). Await <see cref="Cluster.WhenUp"/> to know
    /// when the node is Up with min-nr-of-members.
    /// </summary>
    /// <param name="cluster">The <c>actortrain.cluster</c> settings.</param>
    /// <param name="remote">The <c>actortrain.remote</c> settings.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="registry">Application message types (ids ≥ <see cref="ReservedTypeIds.FirstApplicationId"/>); cluster types are added.</param>
    /// <param name="clock">Clock for the failure detectors (default: the system clock).</param>
    /// <exception cref="System.Net.Sockets.SocketException">The port cannot be bound; the message names it.</exception>
    public static Task<ClusterNode> StartAsync(ClusterSettings cluster, RemoteSettings remote, ILoggerFactory loggerFactory,
        MessageTypeRegistry? registry = null, IClock? clock = null)
    {
        registry ??= new MessageTypeRegistry();
        ClusterSerializers.Register(registry);
        var system = ActorSystem.Create(cluster.SystemName, new ActorSystemOptions { LoggerFactory = loggerFactory });
        ActorRemoting? remoting = null;
        try
        {
            remoting = new ActorRemoting(system, TransportOptionsFrom(cluster, remote), registry);
            remoting.Start();
            var facade = new Cluster(remoting, cluster, clock ?? SystemClock.Instance);
            facade.JoinSeedNodes(cluster.SeedNodes.Select(Address.Parse));
            return Task.FromResult(new ClusterNode(system, remoting, facade, loggerFactory.CreateLogger("ActorTrain.Cluster.Node")));
        }
        catch
        {
            remoting?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            system.Terminate().Wait(TimeSpan.FromSeconds(5));
            throw;
        }
    }

    /// <summary>Maps the settings onto the transport's options.</summary>
    public static TransportOptions TransportOptionsFrom(ClusterSettings cluster, RemoteSettings remote) => new()
    {
        SystemName = cluster.SystemName,
        Hostname = cluster.Hostname,
        Port = cluster.Port,
        Secret = string.IsNullOrEmpty(cluster.Secret) ? null : cluster.Secret,
        MaximumFrameSize = (int)Math.Min(remote.MaximumFrameSize, int.MaxValue),
        ConnectTimeout = remote.ConnectTimeout,
        HandshakeTimeout = remote.HandshakeTimeout,
        ReconnectBackoffMin = remote.ReconnectBackoffMin,
        ReconnectBackoffMax = remote.ReconnectBackoffMax,
    };

    /// <summary>
    /// Leaves the cluster gracefully (waits up to <paramref name="leaveTimeout"/>, default 10 s, for Exiting to be agreed),
    /// then closes remoting and terminates the actor system. Idempotent.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan? leaveTimeout = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        if (Cluster.SelfMember is { Status: MemberStatus.Up or MemberStatus.Joining } && Cluster.State.Members.Count > 1)
        {
            Cluster.Leave(Address);
            try
            {
                await Cluster.WhenRemoved.WaitAsync(leaveTimeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                // Let the Exiting gossip reach the others before going silent.
                await Task.Delay(Cluster.Settings.GossipInterval * 2).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.LogWarning("Node {Address} did not finish leaving within {Timeout}; shutting down anyway", Address, leaveTimeout ?? TimeSpan.FromSeconds(10));
            }
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops at once without leaving (as a crash would look to the other nodes). Idempotent.</summary>
    public async Task AbortAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await StopAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    private async Task StopAsync()
    {
        await Remoting.DisposeAsync().ConfigureAwait(false);
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
