using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Membership;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Tests.Membership;

/// <summary>Fixed node identities for pure membership tests.</summary>
internal static class MembershipTestNodes
{
    public static UniqueAddress Node(int port, long uid = 1) => new(Address.Network("sys", "127.0.0.1", port), uid);

    public static readonly UniqueAddress A = Node(2551);
    public static readonly UniqueAddress B = Node(2552);
    public static readonly UniqueAddress C = Node(2553);
    public static readonly UniqueAddress D = Node(2554);

    public static Member M(UniqueAddress node, MemberStatus status, int upNumber = Member.NotUp) =>
        Member.FromWire(node, status, [], status is MemberStatus.Joining ? Member.NotUp : upNumber);

    public static Gossip GossipOf(params Member[] members) => members.Aggregate(Gossip.Empty, (g, m) => g.WithMember(m));

    public static Gossip SeenByAll(this Gossip gossip) => gossip.Members.Aggregate(gossip, (g, m) => g.MarkSeen(m.UniqueAddress));
}
