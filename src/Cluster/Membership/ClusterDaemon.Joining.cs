using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Membership;

// The seed-node process (Akka's FirstSeedNodeProcess / JoinSeedNodeProcess) and the Join/Welcome exchange.
internal sealed partial class ClusterDaemon
{
    private static readonly TimeSpan InitJoinRetry = TimeSpan.FromSeconds(1);
    private IReadOnlyList<Address> _seeds = [];
    private ICancelable? _joinRetryTimer;
    private bool _joining;
    private UniqueAddress? _joiningVia;
    private DateTime _joinSentAt;

    private void StartJoining(JoinSeedNodes request)
    {
        if (_state.SelfMember is not null)
        {
            _log.LogWarning("Cluster node {SelfNode} is already a member; ignoring another join request", SelfNode.Address);
            return;
        }
        _seeds = request.Seeds.Distinct().ToList();
        var others = _seeds.Where(s => !s.Equals(SelfNode.Address)).ToList();
        if (others.Count == 0)
        {
            _log.LogInformation("Cluster node {SelfNode} forms a new cluster (no other seed nodes)", SelfNode.Address);
            JoinSelf();
            return;
        }
        _joining = true;
        _joiningVia = null;
        Become(Joining);
        SendInitJoins();
        _joinRetryTimer = Context.Scheduler.ScheduleTellRepeatedly(InitJoinRetry, InitJoinRetry, Self, DaemonTick.JoinRetry, null);
        if (_seeds[0].Equals(SelfNode.Address))
        {
            _log.LogInformation("Cluster node {SelfNode} is the first seed; waiting {Timeout} for other seeds before forming the cluster",
                SelfNode.Address, _settings.SeedNodeTimeout);
            _timers.Add(Context.Scheduler.ScheduleTellOnce(_settings.SeedNodeTimeout, Self, DaemonTick.SeedNodeTimeout, null));
        }
        else
        {
            _log.LogInformation("Cluster node {SelfNode} is joining through seed nodes {Seeds}", SelfNode.Address, string.Join(", ", others));
        }
    }

    private void Joining()
    {
        Receive<InitJoinAck>(ack =>
        {
            if (_joiningVia is not null) return;
            _joiningVia = ack.Address;
            _joinSentAt = DateTime.UtcNow;
            _log.LogInformation("Cluster node {SelfNode}: seed {Seed} answered; sending Join", SelfNode.Address, ack.Address.Address);
            DaemonAt(ack.Address).Tell(new Join(SelfNode, _settings.Roles));
        });
        Receive<InitJoinNack>(_ => { });
        Receive<Welcome>(OnWelcome);
        Receive<DaemonTick>(t => t == DaemonTick.JoinRetry, _ =>
        {
            if (_joiningVia is not null && DateTime.UtcNow - _joinSentAt < _settings.SeedNodeTimeout) return;
            if (_joiningVia is not null)
                _log.LogWarning("Cluster node {SelfNode}: no Welcome from {Seed} within {Timeout}; asking the seeds again",
                    SelfNode.Address, _joiningVia.Address, _settings.SeedNodeTimeout);
            _joiningVia = null;
            SendInitJoins();
        });
        Receive<DaemonTick>(t => t == DaemonTick.SeedNodeTimeout, _ =>
        {
            if (!_joining || _joiningVia is not null) return;
            _log.LogInformation("Cluster node {SelfNode}: no other seed answered within {Timeout}; forming the cluster", SelfNode.Address, _settings.SeedNodeTimeout);
            JoinSelf();
        });
        Receive<Subscribe>(OnSubscribe);
        Receive<Unsubscribe>(u => _subscribers.RemoveAll(s => s.Subscriber.Equals(u.Subscriber)));
        Receive<InitJoin>(OnInitJoin);
        Receive<Heartbeat>(h => Sender.Tell(new HeartbeatResponse(SelfNode)));
        ReceiveAny(_ => { });
    }

    private void SendInitJoins()
    {
        foreach (Address seed in _seeds)
            if (!seed.Equals(SelfNode.Address)) DaemonAt(seed).Tell(new InitJoin(SelfNode.Address.System));
    }

    private void JoinSelf()
    {
        StopJoining();
        Update(_state.Join(SelfNode, _settings.Roles));
    }

    private void OnWelcome(Welcome welcome)
    {
        if (!welcome.Gossip.HasMember(SelfNode))
        {
            _log.LogWarning("Cluster node {SelfNode}: ignoring a Welcome from {From} that does not list this node", SelfNode.Address, welcome.From.Address);
            return;
        }
        StopJoining();
        _log.LogInformation("Cluster node {SelfNode}: welcomed by {From}", SelfNode.Address, welcome.From.Address);
        Update(new MembershipState(SelfNode, welcome.Gossip.MarkSeen(SelfNode)));
    }

    private void StopJoining()
    {
        _joining = false;
        _joinRetryTimer?.Cancel();
        _joinRetryTimer = null;
        Become(() =>
        {
            ReceiveCommon();
            Receive<Welcome>(_ => { });
            Receive<InitJoinAck>(_ => { });
            Receive<InitJoinNack>(_ => { });
            Receive<JoinSeedNodes>(StartJoining);
            ReceiveAny(_ => { });
        });
    }

    private void OnJoin(Join join)
    {
        if (_state.SelfMember is not { Status: MemberStatus.Joining or MemberStatus.Up })
        {
            _log.LogDebug("Cluster node {SelfNode}: ignoring Join from {Node}: not a member", SelfNode.Address, join.Node.Address);
            return;
        }
        if (join.Node.Address.System != SelfNode.Address.System)
        {
            _log.LogWarning("Cluster node {SelfNode}: refusing Join from {Node}: other actor system", SelfNode.Address, join.Node.Address);
            return;
        }
        if (_state.Gossip.Tombstones.ContainsKey(join.Node))
        {
            _log.LogWarning("Cluster node {SelfNode}: refusing Join from removed node {Node}; restart it to get a new uid", SelfNode.Address, join.Node);
            return;
        }
        Update(_state.Join(join.Node, join.Roles));
        DaemonAt(join.Node).Tell(new Welcome(SelfNode, _state.Gossip));
    }
}
