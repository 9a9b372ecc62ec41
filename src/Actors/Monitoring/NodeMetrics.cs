using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Sync.Transport;
using Akka.Cluster;
using Prometheus;

namespace ActorTrain.Actors.Monitoring;

/// <summary>
/// One node's Prometheus metrics, in their own <see cref="CollectorRegistry"/>: its ranks' steps, tokens and phase
/// seconds (from <see cref="RankStepStats"/>), data-plane bytes per transport (<see cref="TransportByteCounters"/>),
/// cluster members by status as this node sees them, restarts, and rank 0's loss and job throughput. Values that live
/// elsewhere are copied in just before each scrape (<see cref="CollectorRegistry.AddBeforeCollectCallback(Action)"/>),
/// so the training threads never touch Prometheus. Every series carries the node's address as <c>node</c>.
/// </summary>
public sealed class NodeMetrics
{
    private static readonly MemberStatus[] Statuses =
        [MemberStatus.Joining, MemberStatus.WeaklyUp, MemberStatus.Up, MemberStatus.Leaving, MemberStatus.Exiting, MemberStatus.Down, MemberStatus.Removed];

    private readonly string _node;
    private readonly Counter _steps, _tokens, _stepSeconds, _computeSeconds, _syncWaitSeconds, _optimizerSeconds, _sent, _received, _restarts;
    private readonly Gauge _tokensPerSecond, _lastStepSeconds, _members, _unreachable, _loss, _jobTokensPerSecond, _jobStep;

    /// <summary>Creates the metrics of node <paramref name="nodeAddress"/> (host:port); <paramref name="cluster"/> gives
    /// membership, <paramref name="stepStats"/> the ranks' steps.</summary>
    public NodeMetrics(string nodeAddress, Akka.Cluster.Cluster? cluster, RankStepStats stepStats)
    {
        _node = nodeAddress;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        string[] rank = ["node", "rank"];
        _steps = factory.CreateCounter("actortrain_steps_total", "Optimizer steps completed by the rank in this process.", rank);
        _tokens = factory.CreateCounter("actortrain_tokens_total", "Input tokens the rank processed.", rank);
        _stepSeconds = factory.CreateCounter("actortrain_step_seconds_total", "Seconds the rank spent in optimizer steps.", rank);
        _computeSeconds = factory.CreateCounter("actortrain_compute_seconds_total", "Seconds of forward and backward.", rank);
        _syncWaitSeconds = factory.CreateCounter("actortrain_sync_wait_seconds_total", "Seconds the rank waited for the gradient sync.", rank);
        _optimizerSeconds = factory.CreateCounter("actortrain_optimizer_seconds_total", "Seconds of averaging, clipping and the optimizer step.", rank);
        _tokensPerSecond = factory.CreateGauge("actortrain_tokens_per_second", "The rank's input tokens per second over its last step.", rank);
        _lastStepSeconds = factory.CreateGauge("actortrain_last_step_seconds", "Duration of the rank's last optimizer step.", rank);
        _sent = factory.CreateCounter("actortrain_transport_sent_bytes_total", "Data-plane payload bytes this node sent, per transport.", "node", "transport");
        _received = factory.CreateCounter("actortrain_transport_received_bytes_total", "Data-plane payload bytes this node received, per transport.", "node", "transport");
        _members = factory.CreateGauge("actortrain_cluster_members", "Cluster members by status, as this node sees them.", "node", "status");
        _unreachable = factory.CreateGauge("actortrain_cluster_unreachable_members", "Members this node's failure detector marks unreachable.", "node");
        _restarts = factory.CreateCounter("actortrain_restarts_total", "Times this node's job restarted its ranks (e.g. elastic recovery).", "node");
        _loss = factory.CreateGauge("actortrain_loss", "Training loss of the last logged step (rank 0's node only).", "node");
        _jobTokensPerSecond = factory.CreateGauge("actortrain_job_tokens_per_second", "Tokens per second of the whole job over the last logging window (rank 0's node only).", "node");
        _jobStep = factory.CreateGauge("actortrain_job_step", "Last logged optimizer step of the job (rank 0's node only).", "node");
        _restarts.WithLabels(_node); // the series exists (at 0) from the start
        foreach (var kind in TransportByteCounters.Kinds)
        {
            _sent.WithLabels(_node, kind);
            _received.WithLabels(_node, kind);
        }
        Registry.AddBeforeCollectCallback(() =>
        {
            foreach (var s in stepStats.Read()) Update(s);
            foreach (var kind in TransportByteCounters.Kinds)
            {
                _sent.WithLabels(_node, kind).IncTo(TransportByteCounters.Sent(kind));
                _received.WithLabels(_node, kind).IncTo(TransportByteCounters.Received(kind));
            }
            if (cluster is not null) UpdateMembership(cluster.State);
        });
    }

    /// <summary>The registry that <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Records how many times the elastic job restarted so far (actortrain.job.max-restarts). Each attempt
    /// starts fresh metrics, so the restart loop hands over the running count rather than incrementing.</summary>
    public void RecordRestarts(int restartsSoFar) => _restarts.WithLabels(_node).IncTo(restartsSoFar);

    /// <summary>Takes rank 0's step events (loss, job throughput).</summary>
    public void OnTrainingEvent(TrainingEvent e)
    {
        if (e.Kind != "step") return;
        _jobStep.WithLabels(_node).Set(e.Step);
        if (e.Loss is { } loss) _loss.WithLabels(_node).Set(loss);
        if (e.TokensPerSecond is { } rate) _jobTokensPerSecond.WithLabels(_node).Set(rate);
    }

    private void Update(RankStepStats.Snapshot s)
    {
        string rank = s.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _steps.WithLabels(_node, rank).IncTo(s.Steps);
        _tokens.WithLabels(_node, rank).IncTo(s.Tokens);
        _stepSeconds.WithLabels(_node, rank).IncTo(s.StepSeconds);
        _computeSeconds.WithLabels(_node, rank).IncTo(s.ComputeSeconds);
        _syncWaitSeconds.WithLabels(_node, rank).IncTo(s.SyncWaitSeconds);
        _optimizerSeconds.WithLabels(_node, rank).IncTo(s.OptimizerSeconds);
        _tokensPerSecond.WithLabels(_node, rank).Set(s.LastTokensPerSecond);
        _lastStepSeconds.WithLabels(_node, rank).Set(s.LastStepSeconds);
    }

    private void UpdateMembership(ClusterEvent.CurrentClusterState state)
    {
        foreach (var status in Statuses)
            _members.WithLabels(_node, status.ToString().ToLowerInvariant()).Set(state.Members.Count(m => m.Status == status));
        _unreachable.WithLabels(_node).Set(state.Unreachable.Count);
    }
}
