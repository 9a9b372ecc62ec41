using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;
using ActorTrain.Cluster.Settings;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// The <c>/system/cluster</c> actor: runs the seed-node join process, then keeps this node's
/// <see cref="MembershipState"/> moving — gossip every gossip-interval, leader actions on convergence, heartbeats
/// into a phi-accrual detector per node, reachability updates every reaper interval — and publishes the resulting
/// events to subscribers and to the <see cref="Cluster"/> facade.
/// </summary>
internal sealed partial class ClusterDaemon : ReceiveActor
{
    private readonly ClusterSettings _settings;
    private readonly ActorRemoting _remoting;
    private readonly Cluster _facade;
    private readonly FailureDetectorRegistry<UniqueAddress> _detectors;
    private readonly Dictionary<UniqueAddress, IActorRef> _daemons = new();
    private readonly List<(IActorRef Subscriber, IReadOnlyList<Type> Types)> _subscribers = [];
    private readonly HashSet<UniqueAddress> _heartbeatTargets = [];
    private readonly List<ICancelable> _timers = [];
    private readonly ILogger _log;
    private MembershipState _state;

    public ClusterDaemon(ClusterSettings settings, ActorRemoting remoting, Cluster facade, IClock clock)
    {
        _settings = settings;
        _remoting = remoting;
        _facade = facade;
        _state = new MembershipState(remoting.SelfAddress, Gossip.Empty);
        _log = remoting.System.LoggerFactory.CreateLogger("ActorTrain.Cluster.Membership");
        FailureDetectorSettings fd = settings.FailureDetector;
        _detectors = new FailureDetectorRegistry<UniqueAddress>(() => new PhiAccrualFailureDetector(
            fd.Threshold, fd.MaxSampleSize, fd.MinStdDeviation, fd.AcceptableHeartbeatPause, fd.HeartbeatInterval, clock));

        ReceiveCommon();
        Receive<JoinSeedNodes>(StartJoining);
    }

    private UniqueAddress SelfNode => _state.Self;

    protected override void PreStart()
    {
        var scheduler = Context.Scheduler;
        _timers.Add(scheduler.ScheduleTellRepeatedly(_settings.GossipInterval, _settings.GossipInterval, Self, DaemonTick.Gossip, null));
        TimeSpan heartbeat = _settings.FailureDetector.HeartbeatInterval;
        _timers.Add(scheduler.ScheduleTellRepeatedly(heartbeat, heartbeat, Self, DaemonTick.Heartbeat, null));
        _timers.Add(scheduler.ScheduleTellRepeatedly(_settings.UnreachableNodesReaperInterval, _settings.UnreachableNodesReaperInterval,
            Self, DaemonTick.Reap, null));
    }

    protected override void PostStop()
    {
        foreach (ICancelable timer in _timers) timer.Cancel();
    }

    /// <summary>Handlers valid in every phase: subscriptions, InitJoin answers, heartbeats.</summary>
    private void ReceiveCommon()
    {
        Receive<Subscribe>(OnSubscribe);
        Receive<Unsubscribe>(u => _subscribers.RemoveAll(s => s.Subscriber.Equals(u.Subscriber)));
        Receive<InitJoin>(OnInitJoin);
        Receive<Heartbeat>(h => Sender.Tell(new HeartbeatResponse(SelfNode)));
        Receive<HeartbeatResponse>(r =>
        {
            if (_heartbeatTargets.Contains(r.From)) _detectors.Heartbeat(r.From);
        });
        Receive<ExpectedFirstHeartbeat>(e =>
        {
            if (_heartbeatTargets.Contains(e.Node) && !_detectors.IsMonitoring(e.Node)) _detectors.Heartbeat(e.Node);
        });
        Receive<DaemonTick>(t => t == DaemonTick.Gossip, _ => OnGossipTick());
        Receive<DaemonTick>(t => t == DaemonTick.Heartbeat, _ => OnHeartbeatTick());
        Receive<DaemonTick>(t => t == DaemonTick.Reap, _ => OnReapTick());
        Receive<Join>(OnJoin);
        Receive<GossipEnvelope>(OnGossip);
        Receive<LeaveRequest>(l => OnUserAction(l.Address, "leave", _state.Leave));
        Receive<DownRequest>(d => OnUserAction(d.Address, "down", _state.Down));
    }

    private void OnInitJoin(InitJoin request)
    {
        bool member = _state.SelfMember is { Status: MemberStatus.Joining or MemberStatus.Up };
        Sender.Tell(member && request.SystemName == SelfNode.Address.System ? new InitJoinAck(SelfNode) : new InitJoinNack(SelfNode));
    }

    private void OnSubscribe(Subscribe subscribe)
    {
        _subscribers.RemoveAll(s => s.Subscriber.Equals(subscribe.Subscriber));
        _subscribers.Add((subscribe.Subscriber, subscribe.EventTypes));
        if (subscribe.InitialStateAsSnapshot)
        {
            subscribe.Subscriber.Tell(CurrentClusterState.Of(_state));
            return;
        }
        var initial = ClusterEventDiff.Diff(new MembershipState(SelfNode, Gossip.Empty), _state);
        foreach (ClusterDomainEvent e in initial)
            if (Wants(subscribe.EventTypes, e)) subscribe.Subscriber.Tell(e);
    }

    private static bool Wants(IReadOnlyList<Type> types, ClusterDomainEvent e) => types.Any(t => t.IsInstanceOfType(e));

    /// <summary>Replaces the state, publishes what changed, and keeps detectors, watchers and the facade in step.</summary>
    private void Update(MembershipState next)
    {
        MembershipState previous = _state;
        if (ReferenceEquals(previous, next)) return;
        _state = next;
        foreach (ClusterDomainEvent e in ClusterEventDiff.Diff(previous, next))
        {
            Log(e);
            switch (e)
            {
                case MemberRemoved removed when !removed.Member.UniqueAddress.Equals(SelfNode):
                    _detectors.Remove(removed.Member.UniqueAddress);
                    _heartbeatTargets.Remove(removed.Member.UniqueAddress);
                    _daemons.Remove(removed.Member.UniqueAddress);
                    _remoting.System.Provider.NotifyAddressTerminated(removed.Member.Address);
                    break;
            }
            foreach (var (subscriber, types) in _subscribers)
                if (Wants(types, e)) subscriber.Tell(e);
        }
        _facade.OnStateChanged(next, _settings.MinNrOfMembers);
    }

    private void Log(ClusterDomainEvent e)
    {
        switch (e)
        {
            case UnreachableMember u:
                _log.LogWarning("Cluster node {SelfNode}: marking node {Node} as UNREACHABLE ({Status})", SelfNode.Address, u.Member.Address, u.Member.Status);
                break;
            case ReachableMember r:
                _log.LogInformation("Cluster node {SelfNode}: node {Node} is REACHABLE again", SelfNode.Address, r.Member.Address);
                break;
            case LeaderChanged l:
                _log.LogInformation("Cluster node {SelfNode}: leader is now {Leader}", SelfNode.Address, l.Leader?.Address.ToString() ?? "(none)");
                break;
            case MemberRemoved m:
                _log.LogInformation("Cluster node {SelfNode}: member {Node} removed (was {Previous})", SelfNode.Address, m.Member.Address, m.PreviousStatus);
                break;
            case MemberEvent m:
                _log.LogInformation("Cluster node {SelfNode}: member {Node} is {Status}", SelfNode.Address, m.Member.Address, m.Member.Status);
                break;
        }
    }

    private IActorRef DaemonAt(UniqueAddress node)
    {
        if (!_daemons.TryGetValue(node, out IActorRef? daemon))
        {
            daemon = DaemonAt(node.Address);
            _daemons[node] = daemon;
        }
        return daemon;
    }

    private IActorRef DaemonAt(Address address) =>
        _remoting.System.Provider.ResolveActorRef(ActorPath.FromElements(address, "/system/cluster"));
}
