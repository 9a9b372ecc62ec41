using System.Net;
using ActorTrain.Cluster.Logging;
using ActorTrain.Cluster.Settings;
using ActorTrain.Cluster.Tls;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote;
using Microsoft.Extensions.Logging;
using AkkaCluster = Akka.Cluster.Cluster;
using AkkaConfiguration = Akka.Configuration.Config;

namespace ActorTrain.Cluster.Node;

/// <summary>
/// One node of an ActorTrain cluster: an Akka <see cref="ActorSystem"/> with <c>provider = cluster</c>, bound to
/// actortrain.cluster.hostname:port and joining <c>akka.cluster.seed-nodes</c> as Akka does on start. This is what
/// <c>actortrain node</c> hosts; the job actors live in <see cref="System"/>.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;

    private ClusterNode(ActorSystem system, ClusterSettings settings)
    {
        System = system;
        Settings = settings;
        Cluster = AkkaCluster.Get(system);
        Cluster.RegisterOnMemberUp(() => _up.TrySetResult());
        // Akka joins akka.cluster.seed-nodes by itself; with none configured, this node forms a cluster alone.
        if (settings.SeedNodes.Count == 0) Cluster.Join(Cluster.SelfAddress);
        // Akka stops the whole actor system itself on some refusals (a failed TLS handshake runs CoordinatedShutdown):
        // before this node is Up, that is a refused join too.
        system.WhenTerminated.ContinueWith(_ =>
        {
            if (_up.Task.IsCompleted) return;
            var reason = CoordinatedShutdown.Get(system).ShutdownReason;
            string why = reason?.GetType().Name.Contains("Tls", StringComparison.Ordinal) == true
                ? $"the TLS handshake with seed node(s) {string.Join(", ", settings.SeedNodes)} failed, and Akka stopped this node — check that this node's certificate was issued by the cluster CA (actortrain.cluster.tls) and that it trusts the same CA"
                : $"the node stopped before it joined ({reason?.GetType().Name ?? "actor system terminated"})";
            _refused.TrySetResult(why);
        }, TaskScheduler.Default);
        var watcher = system.ActorOf(Props.Create(() => new JoinRefusalWatcher(settings, Cluster, _refused)), "join-refusal-watcher");
        system.EventStream.Subscribe(watcher, typeof(AssociationErrorEvent));
    }

    /// <summary>The node's actor system.</summary>
    public ActorSystem System { get; }

    /// <summary>The node's Akka.Cluster extension.</summary>
    public AkkaCluster Cluster { get; }

    /// <summary>The settings the node was started with.</summary>
    public ClusterSettings Settings { get; }

    /// <summary>The node's address, e.g. akka.tcp://actortrain@127.0.0.1:2552.</summary>
    public Address Address => Cluster.SelfAddress;

    /// <summary>Completes when this node is Up (and min-nr-of-members are).</summary>
    public Task WhenUp => _up.Task;

    /// <summary>Completes, with a message naming the seed and the cause, when seed nodes refused this node
    /// actortrain.cluster.max-refused-joins times before it became a member (TLS handshake, wrong system name).</summary>
    public Task<string> WhenJoinRefused => _refused.Task;

    /// <summary>
    /// Starts the node. <paramref name="akkaConfig"/> is the resolved <c>akka</c> section (see <see cref="AkkaConfig"/>);
    /// TLS certificates, when <paramref name="settings"/> enables it, and the logger factory go in as setups.
    /// </summary>
    /// <exception cref="InvalidOperationException">The port cannot be bound or a certificate cannot be read; the message says which.</exception>
    public static ClusterNode Start(ClusterSettings settings, AkkaConfiguration akkaConfig, ILoggerFactory loggerFactory)
    {
        if (settings.Tls.Enabled && settings.SeedNodes.Count > 0)
        {
            // With TLS the transport's addresses read akka.ssl.tcp://: seeds written either way are reached through it.
            string seeds = string.Join(", ", settings.SeedNodes.Select(a => $"\"{SeedNodeAddress.WithScheme(a, tls: true)}\""));
            akkaConfig = ConfigurationFactory.ParseString($"akka.cluster.seed-nodes = [{seeds}]").WithFallback(akkaConfig);
        }
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(akkaConfig), new LoggerFactorySetup(loggerFactory));
        if (settings.Tls.Enabled) setup = setup.And(ClusterTls.CreateSetup(settings.Tls));
        else if (!IsLoopback(settings.Hostname))
            loggerFactory.CreateLogger("ActorTrain.Cluster").LogWarning(
                "Node binds to {Host} without TLS: any host that reaches port {Port} can join this cluster. Set actortrain.cluster.tls (see `actortrain cert`) or bind to 127.0.0.1.",
                settings.Hostname, settings.Port);
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(settings.SystemName, setup);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var root = e;
            while (root.InnerException is not null) root = root.InnerException;
            string hint = root is System.Net.Sockets.SocketException ? $" (is port {settings.Port} in use? set actortrain.cluster.port)" : "";
            throw new InvalidOperationException($"node {settings.SelfAddress} could not start: {root.Message}{hint}", e);
        }
        return new ClusterNode(system, settings);
    }

    /// <summary>
    /// Leaves the cluster gracefully through CoordinatedShutdown (Leaving → Exiting → Removed), then stops. Idempotent.
    /// When every node stops at once (end of a job), the oldest node lets the others leave first (up to
    /// <paramref name="othersFirst"/>): a node leaving last, alone, needs nobody to confirm its exit, whereas two last
    /// nodes leaving together each wait for the other's confirmation until the phase times out.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan? othersFirst = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        var members = Cluster.State.Members;
        var oldest = members.Where(m => m.Status == Akka.Cluster.MemberStatus.Up).OrderBy(m => m, Akka.Cluster.Member.AgeOrdering).FirstOrDefault();
        if (oldest is not null && oldest.Address.Equals(Address))
        {
            var deadline = DateTime.UtcNow + (othersFirst ?? TimeSpan.FromSeconds(5));
            while (DateTime.UtcNow < deadline && Cluster.State.Members.Any(m => !m.Address.Equals(Address)))
                await Task.Delay(100).ConfigureAwait(false);
        }
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
        await System.WhenTerminated.ConfigureAwait(false);
    }

    /// <summary>Stops after a failure: still through CoordinatedShutdown (the others see this node leave, not vanish),
    /// bounded by <paramref name="timeout"/> since the cluster may not converge with an unreachable member. Idempotent.</summary>
    public async Task AbortAsync(TimeSpan? timeout = null)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try
        {
            await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance)
                .WaitAsync(timeout ?? TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The others cannot confirm the exit while a member is unreachable; the process ends anyway.
            try { await System.Terminate().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false); }
            catch (TimeoutException) { }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(ShutdownAsync());

    private static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
