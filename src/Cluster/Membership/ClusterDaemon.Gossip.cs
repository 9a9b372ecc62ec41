using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Membership;

// Gossip dissemination, leader actions and user actions (Leave/Down).
internal sealed partial class ClusterDaemon
{
    private static readonly TimeSpan TombstoneLifetime = TimeSpan.FromHours(24);

    private void OnGossipTick()
    {
        if (_state.SelfMember is null) return;
        long now = DateTime.UtcNow.Ticks;
        MembershipState next = _state.LeaderActions(_settings.MinNrOfMembers, now);
        if (next.Gossip.Tombstones.Values.Any(t => t < now - TombstoneLifetime.Ticks))
            next = next.WithGossip(next.Gossip.PruneTombstones(now - TombstoneLifetime.Ticks));
        Update(next);

        Reachability reachability = _state.Gossip.Reachability;
        var targets = _state.GossipTargets.Where(reachability.IsReachable).ToList();
        if (targets.Count == 0) return;
        // Nodes that have not seen this version first (a few), else one random member keeps versions flowing.
        var unseen = targets.Where(t => !_state.Gossip.SeenBy(t)).OrderBy(_ => Random.Shared.Next()).Take(3).ToList();
        if (unseen.Count == 0) unseen.Add(targets[Random.Shared.Next(targets.Count)]);
        foreach (UniqueAddress target in unseen) SendGossip(target);
    }

    private void SendGossip(UniqueAddress target) => DaemonAt(target).Tell(new GossipEnvelope(SelfNode, target, _state.Gossip));

    private void OnGossip(GossipEnvelope envelope)
    {
        if (!envelope.To.Equals(SelfNode))
        {
            _log.LogDebug("Cluster node {SelfNode}: ignoring gossip meant for {To}", SelfNode, envelope.To);
            return;
        }
        if (_state.SelfMember is null) return;
        MembershipState next = _state.ReceiveGossip(envelope.Gossip, envelope.From, out GossipReceiveOutcome outcome, out bool talkBack);
        if (outcome == GossipReceiveOutcome.Ignored)
        {
            _log.LogDebug("Cluster node {SelfNode}: ignored gossip from {From}", SelfNode.Address, envelope.From.Address);
            return;
        }
        Update(next);
        if (talkBack) SendGossip(envelope.From);
    }

    private void OnUserAction(string addressText, string verb, Func<UniqueAddress, MembershipState> action)
    {
        if (!Address.TryParse(addressText, out Address address, out int consumed) || consumed != addressText.Length)
        {
            _log.LogWarning("Cluster node {SelfNode}: cannot {Verb} '{Address}': not a node address", SelfNode.Address, verb, addressText);
            return;
        }
        var members = _state.Gossip.Members.Where(m => m.Address.Equals(address)).ToList();
        if (members.Count == 0)
        {
            _log.LogWarning("Cluster node {SelfNode}: cannot {Verb} {Address}: not a member", SelfNode.Address, verb, address);
            return;
        }
        _log.LogInformation("Cluster node {SelfNode}: {Verb} {Address}", SelfNode.Address, verb, address);
        foreach (Member member in members) Update(action(member.UniqueAddress));
        foreach (UniqueAddress target in _state.GossipTargets) SendGossip(target);
    }
}
