using System.Net;
using System.Threading.Channels;
using ActorTrain.Actors.Monitoring;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Actors.Training;
using ActorTrain.Cluster.Node;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Microsoft.Extensions.Logging;
using SyncStrategyKind = ActorTrain.Actors.Sync.SyncStrategy;

namespace ActorTrain.Actors.Job;

/// <summary>
/// One node of a job, start to end — what <c>actortrain node</c> runs: start the Akka cluster node and join through
/// the seed nodes; once Up, bind a data-plane listener per local rank and register with the job coordinator (a cluster
/// singleton, normally on the first seed node), which assigns node ranks and sends the rendezvous table once all world-size ranks (and, for
/// the parameter-server strategy, all shards, hosted as /user/ps-&lt;k&gt;) are there; then create each rank's
/// <see cref="IGradientSync"/> and run <see cref="DdpTrainer"/> per rank on a dedicated thread. A failed rank, a
/// failed collective or a job member turning unreachable stops the node's ranks (aborting the sync group's links
/// first when a peer is unreachable, so no rank stays blocked on it) and fails with a message naming the node, the
/// ranks and the last checkpoint; a finished job leaves the cluster gracefully (CoordinatedShutdown).
/// </summary>
public static partial class JobNode
{
    private static readonly TimeSpan RankStopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ShardDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs this node's part of the job (restarting it per job.max-restarts, see <see cref="ElasticJobNode"/>).
    /// Throws <see cref="JobFailedException"/> when the job fails or cannot start.</summary>
    public static Task<JobNodeResult> RunAsync(JobNodeOptions options, CancellationToken cancellationToken) =>
        options.Config.Settings.Job.MaxRestarts > 0
            ? ElasticJobNode.RunAsync(options, cancellationToken)
            : RunAttemptAsync(options, attempt: null, cancellationToken);

    /// <summary>One attempt of the job on a fresh cluster node (<paramref name="attempt"/>: null when the job does not
    /// restart; else a lost member ends it with <see cref="JobMemberLostException"/>, see <see cref="ElasticJobNode"/>).</summary>
    internal static async Task<JobNodeResult> RunAttemptAsync(JobNodeOptions options, JobAttempt? attempt, CancellationToken cancellationToken)
    {
        var settings = options.Config.Settings;
        var log = options.LoggerFactory.CreateLogger("ActorTrain.Job");
        var node = StartNode(options.Config, options.LoggerFactory, log, attempt?.SeedNodes);
        var observability = await NodeObservability.StartAsync(node, settings, options.LoggerFactory).ConfigureAwait(false);
        if (attempt?.Restart is { } restart) observability.Metrics.RecordRestarts(restart.Attempt);
        var run = new Run(node, settings, options, log, observability) { Attempt = attempt };
        try
        {
            var result = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            await observability.DisposeAsync().ConfigureAwait(false);
            await node.ShutdownAsync().ConfigureAwait(false);
            return result;
        }
        catch (JobMemberLostException lost) when (attempt is not null && !cancellationToken.IsCancellationRequested)
        {
            await run.StopAsync(abortReason: lost.Cause).ConfigureAwait(false);
            await observability.DisposeAsync().ConfigureAwait(false);
            throw await ElasticJobNode.EndAttemptAsync(node, lost, settings.Cluster.FailureDetector, log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await run.StopAsync(abortReason: $"the job stopped with an error on node {node.Address}").ConfigureAwait(false);
            await observability.DisposeAsync().ConfigureAwait(false);
            await node.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a node that only takes part in membership (no job) until <paramref name="cancellationToken"/> fires, then leaves.</summary>
    public static async Task RunMembershipOnlyAsync(LoadedConfig config, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var log = loggerFactory.CreateLogger("ActorTrain.Job");
        var node = StartNode(config, loggerFactory, log);
        try
        {
            var up = await Task.WhenAny(node.WhenUp, node.WhenJoinRefused).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (up == node.WhenJoinRefused) throw new JobFailedException($"node {node.Address} could not join the cluster: {node.WhenJoinRefused.Result}");
            log.LogInformation("Node {Address} is Up (membership only, no job)", node.Address);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        catch
        {
            await node.AbortAsync().ConfigureAwait(false);
            throw;
        }
        log.LogInformation("Node {Address} is leaving the cluster", node.Address);
        await node.ShutdownAsync().ConfigureAwait(false);
    }

    private static ClusterNode StartNode(LoadedConfig config, ILoggerFactory loggerFactory, ILogger log, IReadOnlyList<string>? seedNodes = null)
    {
        var cluster = config.Settings.Cluster;
        var akka = AkkaConfig.From(config.Effective);
        if (seedNodes is not null) (cluster, akka) = SurvivingMembers.WithSeedNodes(cluster, akka, seedNodes);
        var node = ClusterNode.Start(cluster, akka, loggerFactory);
        node.System.ActorOf(MembershipLogger.Props(), MembershipLogger.Name);
        log.LogInformation("Node {Address} started; seed nodes: {Seeds}", node.Address,
            cluster.SeedNodes.Count == 0 ? "(none: forms its own cluster)" : string.Join(", ", cluster.SeedNodes));
        return node;
    }

    /// <summary>The state of one node's job run, so that a failure at any point can stop what was started.</summary>
    private sealed partial class Run(ClusterNode node, ActorTrainSettings settings, JobNodeOptions options, ILogger log, NodeObservability observability)
    {
        private JobSettings _job = settings.Job; // this attempt's shape once the coordinator assigned it
        private RestartContext? _restart;

        /// <summary>The elastic attempt this run is (null: the job does not restart).</summary>
        public JobAttempt? Attempt { get; init; }
        private readonly List<SyncListener> _listeners = new();
        private readonly List<IGradientSync> _syncs = new();
        private readonly List<Task> _shardCompletions = new();
        private readonly List<IActorRef> _shardActors = new();
        private readonly Channel<object> _events = Channel.CreateUnbounded<object>();
        private readonly CancellationTokenSource _stopRanks = new();
        private Task<TrainingOutcome>[] _ranks = [];
        private RendezvousTable? _table;
        private int _nodeRank = -1;
        private bool _stopped;
        private byte[] _dataLinkToken = [];

        private string Self => node.Address.ToString();

        public async Task<JobNodeResult> ExecuteAsync(CancellationToken ct)
        {
            await WaitUpAsync(ct).ConfigureAwait(false);

            var syncOptions = new GradientSyncOptions
            {
                Transport = _job.Sync.Transport switch
                {
                    SyncTransport.Tcp => TransportKind.Tcp,
                    SyncTransport.Akka => TransportKind.Akka,
                    _ => TransportKind.Auto,
                },
                ActorSystem = node.System, // carries the data of transport akka
                GroupName = settings.Cluster.SystemName,
                ConnectTimeout = _job.JoinTimeout,
                Logger = options.LoggerFactory.CreateLogger("ActorTrain.Sync"),
            };
            var coordinator = StartCoordinatorSingleton();
            observability.ReportTo(coordinator);
            string host = settings.Cluster.Hostname;
            string machineId = PeerEndpoint.LocalMachineId();
            var bindAddress = IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Any;
            for (int local = 0; local < _job.NprocPerNode; local++)
                _listeners.Add(SyncListener.Bind(new IPEndPoint(bindAddress, 0), syncOptions));
            var registration = new RegisterNode(Self, _job.NodeRank, host, machineId, [.. _listeners.Select(l => l.LocalEndpoint.Port)], Attempt?.Restart);
            node.System.ActorOf(NodeAgent.Props(coordinator, registration, _events.Writer), NodeAgent.Name);

            // Rendezvous: the coordinator answers once every node registered, then once every shard is listening. It always
            // answers, with the assignment or with JobAborted at its own join-timeout, so the node's wait is only a backstop
            // for a coordinator that never starts; see RendezvousBackstop.
            var assignment = await NextAsync<NodeAssignment>(DateTime.UtcNow + RendezvousBackstop, coordinator, ct).ConfigureAwait(false);
            _nodeRank = assignment.NodeRank;
            (settings, _restart) = (ElasticShape.ForAttempt(settings, assignment, log), assignment.Restart);
            _job = settings.Job;
            _dataLinkToken = assignment.DataLinkToken;
            foreach (var listener in _listeners) listener.SetDataLinkToken(_dataLinkToken);
            log.LogInformation("Node {Address} is node rank {NodeRank} of {Nnodes}: ranks {Ranks}", Self, _nodeRank, _job.Nnodes,
                string.Join(", ", Enumerable.Range(_nodeRank * _job.NprocPerNode, _job.NprocPerNode)));
            foreach (int shard in assignment.HostedShards)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _shardCompletions.Add(done.Task);
                var endpoint = new JobEndpoint(shard, host, 0, machineId, Self, _nodeRank);
                _shardActors.Add(node.System.ActorOf(
                    ParameterServerActor.Props(endpoint, assignment.ShardCount, _job.WorldSize, syncOptions, _dataLinkToken, coordinator, done,
                        _job.Sync.Ps.ApplyOptimizer ? Training.OptimizerFactory.ForParameterServerShards(settings) : null),
                    ParameterServerActor.NameOf(shard)));
            }
            _table = await NextAsync<RendezvousTable>(DateTime.UtcNow + RendezvousBackstop, coordinator, ct).ConfigureAwait(false);
            if (_restart is not null && _nodeRank == 0) RestartLog.Record(_job.RunDir, _restart, _table, settings, log);

            await ConnectRanksAsync(syncOptions, ct).ConfigureAwait(false);
            StartRanks();
            return await SuperviseAsync(ct).ConfigureAwait(false);
        }

        /// <summary>How long a node waits for each rendezvous answer before it gives up on the coordinator itself. The
        /// coordinator's own timer (job.join-timeout, re-armed when a singleton moves or an elastic rendezvous closes late)
        /// decides the job's fate and names what is missing; it may start seconds after this node is Up, and its timer may
        /// fire late on a stalled box. A fixed margin over join-timeout raced it (a survivor gave up just as the assignment
        /// came), so the node allows a whole second join-timeout before it calls the coordinator lost.</summary>
        private TimeSpan RendezvousBackstop => 2 * _job.JoinTimeout + TimeSpan.FromSeconds(10);

        private async Task WaitUpAsync(CancellationToken ct)
        {
            Task first;
            try
            {
                first = await Task.WhenAny(node.WhenUp, node.WhenJoinRefused).WaitAsync(_job.JoinTimeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var members = node.Cluster.State.Members;
                throw new JobFailedException(
                    $"node {Self} did not become Up within job.join-timeout = {_job.JoinTimeout.TotalSeconds:0.#}s " +
                    $"(seed nodes: {(settings.Cluster.SeedNodes.Count == 0 ? "none" : string.Join(", ", settings.Cluster.SeedNodes))}; " +
                    $"members it sees: {(members.Count == 0 ? "none" : string.Join(", ", members.Select(m => $"{m.Address} {m.Status}")))}). " +
                    "Check that the first seed node is running and reachable from this host.");
            }
            if (first == node.WhenJoinRefused)
                throw new JobFailedException($"node {Self} could not join the cluster: {node.WhenJoinRefused.Result}");
            log.LogInformation("Node {Address} is Up; {Count} members Up", Self, node.Cluster.State.Members.Count(m => m.Status == MemberStatus.Up));
        }

        /// <summary>Starts this node's singleton manager for the job coordinator (the oldest node hosts it) and returns
        /// the proxy through which every node reaches it.</summary>
        private IActorRef StartCoordinatorSingleton()
        {
            int shards = _job.Sync.Strategy == Settings.SyncStrategy.ParameterServer
                ? (_job.Sync.Ps.Shards > 0 ? _job.Sync.Ps.Shards : _job.Nnodes)
                : 0;
            var system = node.System;
            system.ActorOf(ClusterSingletonManager.Props(
                JobCoordinator.Props(_job.MaxNodes, _job.NprocPerNode, shards, _job.JoinTimeout, _job.MinNodes),
                PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)), JobCoordinator.Name);
            log.LogInformation("Node {Address}: the job coordinator (cluster singleton /user/{Name}) waits for {Nnodes} nodes × {Nproc} ranks{Shards}",
                Self, JobCoordinator.Name, _job.Nnodes, _job.NprocPerNode, shards > 0 ? $" and {shards} parameter-server shards" : "");
            return system.ActorOf(ClusterSingletonProxy.Props($"/user/{JobCoordinator.Name}", ClusterSingletonProxySettings.Create(system)),
                JobCoordinator.Name + "-proxy");
        }

        private async Task<T> NextAsync<T>(DateTime deadline, IActorRef coordinator, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
            try
            {
                while (true)
                {
                    var message = await _events.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
                    switch (message)
                    {
                        case T expected:
                            return expected;
                        case JobAborted aborted:
                            throw new JobFailedException($"the job was aborted by its coordinator: {aborted.Reason}");
                        case ClusterEvent.UnreachableMember u:
                            log.LogWarning("Node {Node} is unreachable while the job forms", u.Member.Address);
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                var up = node.Cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address.ToString()).ToList();
                throw new JobFailedException(
                    $"no {(typeof(T) == typeof(NodeAssignment) ? "node-rank assignment" : "rendezvous table")} from the job coordinator (cluster singleton {coordinator.Path}) " +
                    $"within {RendezvousBackstop.TotalSeconds:0.#}s (twice job.join-timeout = {_job.JoinTimeout.TotalSeconds:0.#}s, plus 10 s); the job needs {_job.Nnodes} nodes × {_job.NprocPerNode} ranks, " +
                    $"{up.Count} members are Up ({string.Join(", ", up)}).");
            }
        }

        private async Task ConnectRanksAsync(GradientSyncOptions syncOptions, CancellationToken ct)
        {
            var table = _table!;
            var peers = table.Ranks.Select(e => new PeerEndpoint(e.Index, e.Host, e.Port, e.MachineId)).ToList();
            var shards = table.Shards.Select(e => new PeerEndpoint(e.Index, e.Host, e.Port, e.MachineId)).ToList();
            bool ring = _job.Sync.Strategy == Settings.SyncStrategy.Ring;
            var strategy = ring ? SyncStrategyKind.Ring : SyncStrategyKind.ParameterServer;
            log.LogInformation("Node {Address}: connecting {Count} local ranks ({Strategy}, transport {Transport})",
                Self, _job.NprocPerNode, ring ? "ring all-reduce" : $"parameter server, {shards.Count} shards", syncOptions.Transport);
            if (ring && peers.Count > 1)
                for (int rank = _nodeRank * _job.NprocPerNode; rank < (_nodeRank + 1) * _job.NprocPerNode; rank++)
                {
                    var next = peers[(rank + 1) % peers.Count];
                    log.LogInformation("Node {Address}: rank {Rank} sends to rank {Next} at {Host} over {Channel}",
                        Self, rank, next.Rank, next.Host, SyncTopology.ChannelFor(syncOptions.Transport, peers[rank], next));
                }
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var creates = Enumerable.Range(0, _job.NprocPerNode).Select(async local =>
            {
                int rank = _nodeRank * _job.NprocPerNode + local;
                var rendezvous = new SyncRendezvous(rank, peers, shards) { Listener = ring ? _listeners[local] : null, DataLinkToken = _dataLinkToken };
                try { return await GradientSyncFactory.CreateAsync(strategy, rendezvous, syncOptions, failed.Token).ConfigureAwait(false); }
                catch { failed.Cancel(); throw; }
            }).ToArray();
            try
            {
                await Task.WhenAll(creates).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _syncs.AddRange(creates.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result));
                var first = creates.FirstOrDefault(c => c.IsFaulted)?.Exception?.InnerException ?? ex;
                throw new JobFailedException($"node {Self} could not connect its ranks to the sync group: {first.Message}", first);
            }
            _syncs.AddRange(creates.Select(c => c.Result));
        }

        private void StartRanks()
        {
            var runOptions = new TrainingRunOptions(settings, options.Config.Effective.ToHocon(), options.LoggerFactory) { StepStats = observability.StepStats };
            var observer = observability.Observe(options.Observer);
            _ranks = _syncs.Select(sync => RankThread.Run($"rank-{sync.Rank}",
                () => DdpTrainer.RunAsync(runOptions, sync, observer, _stopRanks.Token))).ToArray();
        }

        /// <summary>
        /// Stops ranks, syncs, listeners and shard actors that are still running. Idempotent. With an
        /// <paramref name="abortReason"/> every sync group is aborted with it (links failed at once) before anything
        /// waits for the ranks, so a rank blocked in a collective with a dead or frozen peer wakes at once; without it,
        /// cancelled ranks first get the chance to agree on a last step over their working group (rank 0 then
        /// checkpoints).
        /// </summary>
        public async Task StopAsync(string? abortReason = null)
        {
            if (_stopped) return;
            _stopped = true;
            bool abortLinksFirst = abortReason is not null;
            if (abortLinksFirst)
                foreach (var sync in _syncs) sync.Abort(abortReason!);
            if (!_stopRanks.IsCancellationRequested) await _stopRanks.CancelAsync().ConfigureAwait(false);
            if (!abortLinksFirst) await WaitForRanksAsync(RankStopGrace).ConfigureAwait(false);
            // Closed in parallel and bounded: a close aborts an in-flight collective before it joins the group's workers,
            // but it may still block its caller for that bounded join, hence Task.Run; after a failure the wait is short.
            var grace = abortLinksFirst ? AbortGrace : RankStopGrace;
            var closing = _syncs.Select(async sync =>
            {
                try { await Task.Run(() => sync.DisposeAsync().AsTask()).WaitAsync(grace).ConfigureAwait(false); }
                catch (Exception ex) { log.LogDebug("Closing a sync group: {Reason}", ex.Message); }
            }).ToList();
            _syncs.Clear();
            await Task.WhenAll(closing).ConfigureAwait(false);
            if (!await WaitForRanksAsync(grace).ConfigureAwait(false))
                log.LogWarning("Node {Address}: some ranks did not stop within {Grace}s", Self, grace.TotalSeconds);
            foreach (var listener in _listeners) await listener.DisposeAsync().ConfigureAwait(false);
            _listeners.Clear();
            foreach (var actor in _shardActors) node.System.Stop(actor);
            _shardActors.Clear();
        }

        private async Task<bool> WaitForRanksAsync(TimeSpan grace)
        {
            if (_ranks.Length == 0) return true;
            try { await Task.WhenAll(_ranks).WaitAsync(grace).ConfigureAwait(false); }
            catch (TimeoutException) { return false; }
            catch (Exception) { /* failures were reported already */ }
            return true;
        }
    }
}
