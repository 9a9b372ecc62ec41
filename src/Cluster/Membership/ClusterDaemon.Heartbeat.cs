using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

// Heartbeats to every other member and the reaper that turns detector verdicts into reachability changes.
internal sealed partial class ClusterDaemon
{
    private void OnHeartbeatTick()
    {
        if (_state.SelfMember is null) return;
        var members = _state.Gossip.Members
            .Where(m => !m.UniqueAddress.Equals(SelfNode) && m.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(m => m.UniqueAddress).ToHashSet();
        foreach (UniqueAddress gone in _heartbeatTargets.Where(t => !members.Contains(t)).ToList())
        {
            _heartbeatTargets.Remove(gone);
            _detectors.Remove(gone);
        }
        foreach (UniqueAddress node in members)
        {
            if (_heartbeatTargets.Add(node))
                Context.Scheduler.ScheduleTellOnce(_settings.FailureDetector.ExpectedResponseAfter, Self, new ExpectedFirstHeartbeat(node), null);
            DaemonAt(node).Tell(new Heartbeat(SelfNode));
        }
    }

    private void OnReapTick()
    {
        if (_state.SelfMember is null) return;
        var unreachable = new List<UniqueAddress>();
        var reachable = new List<UniqueAddress>();
        foreach (UniqueAddress node in _heartbeatTargets)
        {
            if (!_detectors.IsMonitoring(node)) continue;
            (_detectors.IsAvailable(node) ? reachable : unreachable).Add(node);
        }
        Update(_state.UpdateReachability(unreachable, reachable));
    }
}
