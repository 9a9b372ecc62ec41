using Akka.Actor;
using Akka.Event;
using AkkaMember = Akka.Cluster.Member;

namespace ActorTrain.Actors.Job;

/// <summary>
/// The job's rendezvous point: a cluster singleton (<c>/user/job/job</c>, on the oldest node — normally the first
/// seed), reached through a singleton proxy on every node. It collects one <see cref="RegisterNode"/> per
/// node, assigns node ranks (configured ones are kept; the others fill the free ranks in address order, so every run
/// of the same cluster gets the same assignment), tells each node which parameter-server shards to host, collects
/// their <see cref="ShardReady"/>, and sends the full <see cref="RendezvousTable"/> to every node. Nodes missing when
/// <c>job.join-timeout</c> passes, or two nodes claiming the same node rank, abort the job with a message naming them.
/// Elastic jobs (min-nodes &lt; max-nodes): the rendezvous closes at once with max-nodes nodes, or at join-timeout with
/// at least min-nodes; configured node ranks are then kept in order but compacted to 0..n-1. The coordinator passes
/// on the latest <see cref="RestartContext"/> any node reported, so every node of a restarted job resumes.
/// </summary>
public sealed class JobCoordinator : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "job";

    private readonly int _nnodes; // max-nodes: the rendezvous closes at once with this many
    private readonly int _minNodes;
    private int _jobNodes; // nodes in the job once ranks are assigned
    private readonly int _nprocPerNode;
    private readonly int _shardCount;
    private readonly TimeSpan _joinTimeout;
    private readonly Dictionary<string, (RegisterNode Registration, IActorRef Agent)> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nodeRanks = new(StringComparer.Ordinal);
    private readonly Dictionary<int, JobEndpoint> _shards = new();
    private readonly byte[] _dataLinkToken = Sync.Transport.DataLinkToken.Create(); // one per job
    private RendezvousTable? _table;
    private string? _abortReason;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ICancelable? _timeout;

    /// <summary>Creates the coordinator of a job of <paramref name="nnodes"/> × <paramref name="nprocPerNode"/> ranks.</summary>
    /// <param name="nnodes">Nodes in the job.</param>
    /// <param name="nprocPerNode">Ranks per node.</param>
    /// <param name="shardCount">Parameter-server shards (0 for ring).</param>
    /// <param name="joinTimeout">How long to wait for every node and shard.</param>
    /// <param name="minNodes">Fewest nodes to start with at join-timeout (0 = <paramref name="nnodes"/>).</param>
    public JobCoordinator(int nnodes, int nprocPerNode, int shardCount, TimeSpan joinTimeout, int minNodes = 0)
    {
        _nnodes = nnodes;
        _minNodes = minNodes > 0 ? minNodes : nnodes;
        _nprocPerNode = nprocPerNode;
        _shardCount = shardCount;
        _joinTimeout = joinTimeout;
        Receive<RegisterNode>(OnRegister);
        Receive<ShardReady>(OnShardReady);
        Receive<JoinTimedOut>(_ => OnTimeout());
        // The dashboard, served by this node, reads the nodes' reports from the local event stream.
        Receive<Dashboard.RankProgress>(p => Context.System.EventStream.Publish(p));
        Receive<Dashboard.RunEvents>(e => Context.System.EventStream.Publish(e));
    }

    /// <summary>Props for <see cref="JobCoordinator"/>.</summary>
    public static Props Props(int nnodes, int nprocPerNode, int shardCount, TimeSpan joinTimeout, int minNodes = 0) =>
        Akka.Actor.Props.Create(() => new JobCoordinator(nnodes, nprocPerNode, shardCount, joinTimeout, minNodes));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _timeout = Context.System.Scheduler.ScheduleTellOnceCancelable(_joinTimeout, Self, JoinTimedOut.Instance, Self);
        Context.System.EventStream.Publish(Dashboard.JobCoordinatorStarted.Instance);
    }

    /// <inheritdoc />
    protected override void PostStop() => _timeout?.Cancel();

    private void OnRegister(RegisterNode register)
    {
        if (_abortReason is not null) { Sender.Tell(new JobAborted(_abortReason)); return; }
        if (register.RankPorts.Length != _nprocPerNode)
        {
            Sender.Tell(new JobAborted($"node {register.NodeAddress} offers {register.RankPorts.Length} ranks, but the job has nproc-per-node = {_nprocPerNode}; start every node with the same job settings"));
            return;
        }
        if (_nodeRanks.Count > 0 && !_nodeRanks.ContainsKey(register.NodeAddress))
        {
            Sender.Tell(new JobAborted(_jobNodes == _nnodes
                ? $"the job has nnodes = {_nnodes} and they have all registered; node {register.NodeAddress} is one too many"
                : $"the job already started with {_jobNodes} nodes ({string.Join(", ", _nodeRanks.Keys.Order(StringComparer.Ordinal))}); " +
                  $"node {register.NodeAddress} came too late for the rendezvous; it can join at the job's next restart"));
            return;
        }
        bool known = _nodes.ContainsKey(register.NodeAddress);
        _nodes[register.NodeAddress] = (register, Sender);
        if (_nodeRanks.TryGetValue(register.NodeAddress, out int assigned))
        {
            // A repeated registration (the agent retries until it hears back): answer again.
            Sender.Tell(Assignment(assigned));
            if (_table is not null) Sender.Tell(_table);
            return;
        }
        if (!known)
            _log.Info("Job: node {0} registered ({1} of {2})", register.NodeAddress, _nodes.Count, _nnodes);
        if (_nodeRanks.Count == 0 && _nodes.Count == _nnodes) AssignNodeRanks();
    }

    private void AssignNodeRanks()
    {
        _jobNodes = _nodes.Count;
        var byRank = new Dictionary<int, string>();
        if (_nodes.Values.Any(n => n.Registration.ConfiguredNodeRank >= _jobNodes))
        {
            // Fewer nodes than configured (elastic): keep the configured order, compacted to 0..n-1.
            var ordered = _nodes.Values.Select(n => n.Registration)
                .OrderBy(r => r.ConfiguredNodeRank < 0 ? int.MaxValue : r.ConfiguredNodeRank)
                .ThenBy(r => Address.Parse(r.NodeAddress), AkkaMember.AddressOrdering).ToList();
            for (int rank = 0; rank < ordered.Count; rank++) byRank[rank] = ordered[rank].NodeAddress;
        }
        else
        foreach (var (address, (registration, _)) in _nodes)
        {
            int configured = registration.ConfiguredNodeRank;
            if (configured < 0) continue;
            if (byRank.TryGetValue(configured, out var other))
            {
                Abort($"nodes {other} and {address} both have node-rank {configured}; give each node its own actortrain.job.node-rank (or -1 to have one assigned)");
                return;
            }
            byRank[configured] = address;
        }
        var unassigned = _nodes.Values.Where(n => n.Registration.ConfiguredNodeRank < 0)
            .Select(n => n.Registration.NodeAddress)
            .OrderBy(a => Address.Parse(a), AkkaMember.AddressOrdering)
            .ToList();
        int next = 0;
        foreach (var address in unassigned)
        {
            while (byRank.ContainsKey(next)) next++;
            byRank[next] = address;
        }
        foreach (var (rank, address) in byRank) _nodeRanks[address] = rank;
        _log.Info("Job: node ranks assigned: {0}",
            string.Join(", ", byRank.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} = {kv.Value}")));
        foreach (var (address, (_, agent)) in _nodes) agent.Tell(Assignment(_nodeRanks[address]));
        CompleteIfReady();
    }

    private NodeAssignment Assignment(int nodeRank) =>
        new(nodeRank, _shardCount, Enumerable.Range(0, _shardCount).Where(k => k % _jobNodes == nodeRank).ToArray(), _dataLinkToken,
            _jobNodes, LatestRestart());

    /// <summary>The restart with the highest attempt any registered node reported, or null. The survivors may have seen
    /// the loss differently (one noticed it before the failure detector did): their lost nodes are merged, and the cause
    /// is one that names a lost node where there is one.</summary>
    private RestartContext? LatestRestart()
    {
        var latest = _nodes.Values.Select(n => n.Registration.Restart).Where(r => r is not null).Select(r => r!).ToList();
        if (latest.Count == 0) return null;
        int attempt = latest.Max(r => r.Attempt);
        var same = latest.Where(r => r.Attempt == attempt).OrderByDescending(r => r.LostNodes.Length).ThenBy(r => r.Cause, StringComparer.Ordinal).ToList();
        return new RestartContext(attempt, same[0].Cause, [.. same.SelectMany(r => r.LostNodes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private void OnShardReady(ShardReady ready)
    {
        _shards[ready.Endpoint.Index] = ready.Endpoint;
        CompleteIfReady();
    }

    private void CompleteIfReady()
    {
        if (_table is not null || _nodeRanks.Count == 0 || _shards.Count != _shardCount) return;
        var ranks = new JobEndpoint[_jobNodes * _nprocPerNode];
        foreach (var (address, (registration, _)) in _nodes)
        {
            int nodeRank = _nodeRanks[address];
            for (int local = 0; local < _nprocPerNode; local++)
            {
                int rank = nodeRank * _nprocPerNode + local;
                ranks[rank] = new JobEndpoint(rank, registration.Host, registration.RankPorts[local], registration.MachineId, address, nodeRank);
            }
        }
        _table = new RendezvousTable(ranks, [.. _shards.OrderBy(kv => kv.Key).Select(kv => kv.Value)]);
        _timeout?.Cancel();
        _log.Info("Job: all {0} ranks{1} registered; sending the rendezvous table",
            ranks.Length, _shardCount > 0 ? $" and {_shardCount} parameter-server shards" : "");
        foreach (var (_, agent) in _nodes.Values) agent.Tell(_table);
        Context.System.EventStream.Publish(_table);
    }

    private void OnTimeout()
    {
        if (_table is not null || _abortReason is not null) return;
        if (_nodeRanks.Count == 0 && _nodes.Count >= _minNodes)
        {
            _log.Warning("Job: join-timeout passed with {0} of at most {1} nodes registered (min-nodes = {2}); starting with {0}",
                _nodes.Count, _nnodes, _minNodes);
            AssignNodeRanks();
            if (_table is not null || _abortReason is not null) return;
            // Shards still starting: give them another join-timeout.
            _timeout = Context.System.Scheduler.ScheduleTellOnceCancelable(_joinTimeout, Self, JoinTimedOut.Instance, Self);
            return;
        }
        string missing;
        if (_nodeRanks.Count == 0)
        {
            var present = _nodeRanks.Count > 0 ? "" : string.Join(", ", _nodes.Keys.Order(StringComparer.Ordinal));
            var configured = _nodes.Values.Select(n => n.Registration.ConfiguredNodeRank).Where(r => r >= 0).ToHashSet();
            string missingRanks = configured.Count == _nodes.Count
                ? DescribeMissingRanks(Enumerable.Range(0, _nnodes).Where(r => !configured.Contains(r)))
                : $"{(_nnodes - _nodes.Count) * _nprocPerNode} of {_nnodes * _nprocPerNode} ranks have no node";
            missing = $"{_nodes.Count} of {_nnodes} nodes registered ({(present.Length == 0 ? "none" : present)}); {missingRanks}";
        }
        else
        {
            var absent = Enumerable.Range(0, _shardCount).Where(k => !_shards.ContainsKey(k)).ToList();
            missing = $"parameter-server shards {string.Join(", ", absent)} did not start";
        }
        Abort($"the job did not start within job.join-timeout = {_joinTimeout.TotalSeconds:0.#}s: {missing}");
    }

    private string DescribeMissingRanks(IEnumerable<int> nodeRanks)
    {
        var list = nodeRanks.ToList();
        var ranks = list.SelectMany(n => Enumerable.Range(n * _nprocPerNode, _nprocPerNode));
        return $"missing node ranks {string.Join(", ", list)} (ranks {string.Join(", ", ranks)})";
    }

    private void Abort(string reason)
    {
        _abortReason = reason;
        _log.Error("Job: {0}", reason);
        foreach (var (_, agent) in _nodes.Values) agent.Tell(new JobAborted(reason));
    }

    private sealed class JoinTimedOut : INoSerializationVerificationNeeded
    {
        public static readonly JoinTimedOut Instance = new();
    }
}
