using System.Collections.Concurrent;
using ActorTrain.Actors.Dashboard;
using ActorTrain.Actors.Job;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Cluster.Node;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ActorTrain.Actors.Monitoring;

/// <summary>
/// What one node serves about itself: Prometheus <c>/metrics</c> (<c>actortrain.metrics</c>, every node) and, with
/// <c>actortrain.dashboard</c> on, the dashboard reporter (every node) and the dashboard page (only the node that
/// hosts the job coordinator). Started by <see cref="JobNode"/> with the cluster node, disposed before it leaves.
/// </summary>
public sealed class NodeObservability : IAsyncDisposable
{
    private readonly ActorTrainSettings _settings;
    private readonly ClusterNode _node;
    private readonly ILogger _log;
    private readonly ConcurrentQueue<RunEvent> _dashboardEvents = new();
    private readonly DashboardFeed _feed = new();
    private readonly Lock _gate = new();
    private IMetricServer? _metricServer;
    private Task<DashboardServer?>? _dashboard;
    private IActorRef? _dashboardActor, _reporter;
    private bool _disposed;

    private NodeObservability(ClusterNode node, ActorTrainSettings settings, ILogger log)
    {
        _node = node;
        _settings = settings;
        _log = log;
        StepStats = new RankStepStats();
        Metrics = new NodeMetrics($"{node.Address.Host}:{node.Address.Port}", node.Cluster, StepStats);
    }

    /// <summary>Where this node's ranks record their steps.</summary>
    public RankStepStats StepStats { get; }

    /// <summary>This node's Prometheus metrics (served when <c>actortrain.metrics.port</c> is set).</summary>
    public NodeMetrics Metrics { get; }

    /// <summary>Starts what the settings ask for. When <c>actortrain.metrics</c> cannot be bound it aborts
    /// <paramref name="node"/> and throws <see cref="JobFailedException"/> naming the key.</summary>
    public static async Task<NodeObservability> StartAsync(ClusterNode node, ActorTrainSettings settings, ILoggerFactory loggerFactory)
    {
        var observability = new NodeObservability(node, settings, loggerFactory.CreateLogger("ActorTrain.Observability"));
        try { observability.StartMetrics(); }
        catch (JobFailedException)
        {
            await node.AbortAsync().ConfigureAwait(false);
            throw;
        }
        if (settings.Dashboard.Enabled)
            observability._dashboardActor = node.System.ActorOf(DashboardActor.Props(observability._feed, observability.StartDashboard), DashboardActor.Name);
        return observability;
    }

    /// <summary>Rank 0's observer plus this node's metrics and dashboard reports.</summary>
    public ITrainingObserver Observe(ITrainingObserver inner) => new Tee(inner, this);

    /// <summary>Starts sending this node's progress to the job coordinator (when the dashboard is on).</summary>
    public void ReportTo(IActorRef coordinatorProxy)
    {
        if (!_settings.Dashboard.Enabled) return;
        _reporter = _node.System.ActorOf(DashboardReporter.Props(coordinatorProxy, _node.Address.ToString(), StepStats, _dashboardEvents), DashboardReporter.Name);
    }

    /// <summary>Stops the reporter (after a last report), the dashboard and the metrics server.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        if (_reporter is not null) await StopActorAsync(_reporter).ConfigureAwait(false);
        if (_dashboardActor is not null) await StopActorAsync(_dashboardActor).ConfigureAwait(false);
        if (_dashboard is not null && await _dashboard.ConfigureAwait(false) is { } server) await server.DisposeAsync().ConfigureAwait(false);
        if (_metricServer is not null) await _metricServer.StopAsync().ConfigureAwait(false);
    }

    private void StartMetrics()
    {
        var endpoint = _settings.Metrics;
        if (!endpoint.Enabled) return;
        try
        {
            _metricServer = new KestrelMetricServer(new KestrelMetricServerOptions
            {
                Hostname = endpoint.Host, Port = (ushort)endpoint.Port, Registry = Metrics.Registry,
            }).Start();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            throw new JobFailedException($"node {_node.Address}: cannot serve Prometheus metrics on {endpoint.Host}:{endpoint.Port} " +
                $"(actortrain.metrics.port / actortrain.metrics.host): {ex.Message.TrimEnd('.')}. Pick a free port, or 0 to turn metrics off.", ex);
        }
        _log.LogInformation("Node {Address}: Prometheus metrics at {Url}", _node.Address, endpoint.Url("/metrics"));
        WarnIfExposed(endpoint, "actortrain.metrics.host", "/metrics");
    }

    /// <summary>Called by the dashboard actor once the coordinator runs on this node.</summary>
    private void StartDashboard()
    {
        lock (_gate)
        {
            if (_disposed || _dashboard is not null) return;
            var endpoint = _settings.Dashboard;
            _dashboard = Task.Run(async () =>
            {
                try
                {
                    var server = await DashboardServer.StartAsync(endpoint, _feed).ConfigureAwait(false);
                    _log.LogInformation("Dashboard of the job at {Url} (node {Address} hosts the job coordinator)", endpoint.Url("/"), _node.Address);
                    WarnIfExposed(endpoint, "actortrain.dashboard.host", "the dashboard");
                    return server;
                }
                catch (Exception ex)
                {
                    // The job goes on without its page: the dashboard only watches.
                    _log.LogError("Node {Address}: cannot serve the dashboard on {Host}:{Port} (actortrain.dashboard.port / actortrain.dashboard.host): {Reason}",
                        _node.Address, endpoint.Host, endpoint.Port, ex.Message);
                    return null;
                }
            });
        }
    }

    /// <summary>Neither endpoint asks who is calling: say so when one listens beyond this machine.</summary>
    private void WarnIfExposed(HttpEndpointSettings endpoint, string key, string what)
    {
        if (!System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(endpoint.Host)))
            _log.LogWarning("Node {Address} serves {What} on {Host}:{Port} without authentication ({Key}); anyone who can reach that address can read it",
                _node.Address, what, endpoint.Host, endpoint.Port, key);
    }

    private static async Task StopActorAsync(IActorRef actor)
    {
        try { await actor.GracefulStop(TimeSpan.FromSeconds(3)).ConfigureAwait(false); }
        catch (Exception) { /* the system is going down anyway */ }
    }

    /// <summary>Passes rank 0's events on to the job's observer, the metrics and the dashboard queue.</summary>
    private sealed class Tee(ITrainingObserver inner, NodeObservability owner) : ITrainingObserver
    {
        public void OnEvent(TrainingEvent e)
        {
            inner.OnEvent(e);
            owner.Metrics.OnTrainingEvent(e);
            if (owner._settings.Dashboard.Enabled && e.Kind != "sample") owner._dashboardEvents.Enqueue(DashboardReporter.ToRunEvent(e));
        }
    }
}
