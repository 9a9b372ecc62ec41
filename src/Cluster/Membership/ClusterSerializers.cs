using System.Collections.Immutable;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// MessagePack forms of the membership protocol. A unique address is <c>[address text, uid]</c>; a gossip is
/// <c>[members, seen, reachability records, observer versions, vector clock, tombstones]</c> with members as
/// <c>[node, status, up number, roles]</c>.
/// </summary>
internal static class ClusterSerializers
{
    public static void Register(MessageTypeRegistry registry)
    {
        int id = ReservedTypeIds.FirstClusterId;
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<InitJoin>(
            (ref MessagePackWriter w, InitJoin m) => w.WriteString(m.SystemName),
            (ref MessagePackReader r) => new InitJoin(r.ReadString())));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<InitJoinAck>(
            (ref MessagePackWriter w, InitJoinAck m) => WriteNode(ref w, m.Address),
            (ref MessagePackReader r) => new InitJoinAck(ReadNode(ref r))));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<InitJoinNack>(
            (ref MessagePackWriter w, InitJoinNack m) => WriteNode(ref w, m.Address),
            (ref MessagePackReader r) => new InitJoinNack(ReadNode(ref r))));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<Join>(
            (ref MessagePackWriter w, Join m) =>
            {
                w.WriteArrayHeader(2);
                WriteNode(ref w, m.Node);
                WriteStrings(ref w, m.Roles);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 2, "Join");
                return new Join(ReadNode(ref r), ReadStrings(ref r));
            }));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<Welcome>(
            (ref MessagePackWriter w, Welcome m) =>
            {
                w.WriteArrayHeader(2);
                WriteNode(ref w, m.From);
                WriteGossip(ref w, m.Gossip);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 2, "Welcome");
                return new Welcome(ReadNode(ref r), ReadGossip(ref r));
            }));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<GossipEnvelope>(
            (ref MessagePackWriter w, GossipEnvelope m) =>
            {
                w.WriteArrayHeader(3);
                WriteNode(ref w, m.From);
                WriteNode(ref w, m.To);
                WriteGossip(ref w, m.Gossip);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 3, "GossipEnvelope");
                return new GossipEnvelope(ReadNode(ref r), ReadNode(ref r), ReadGossip(ref r));
            }));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<Heartbeat>(
            (ref MessagePackWriter w, Heartbeat m) => WriteNode(ref w, m.From),
            (ref MessagePackReader r) => new Heartbeat(ReadNode(ref r))));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<HeartbeatResponse>(
            (ref MessagePackWriter w, HeartbeatResponse m) => WriteNode(ref w, m.From),
            (ref MessagePackReader r) => new HeartbeatResponse(ReadNode(ref r))));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<LeaveRequest>(
            (ref MessagePackWriter w, LeaveRequest m) => w.WriteString(m.Address),
            (ref MessagePackReader r) => new LeaveRequest(r.ReadString())));
        RemotingSerializers.RegisterOnce(registry, id, new DelegateSerializer<DownRequest>(
            (ref MessagePackWriter w, DownRequest m) => w.WriteString(m.Address),
            (ref MessagePackReader r) => new DownRequest(r.ReadString())));
    }

    private static void WriteNode(ref MessagePackWriter w, UniqueAddress node)
    {
        w.WriteArrayHeader(2);
        w.WriteString(node.Address.ToString());
        w.WriteInt64(node.Uid);
    }

    private static UniqueAddress ReadNode(ref MessagePackReader r)
    {
        RemotingSerializers.Expect(ref r, 2, "UniqueAddress");
        int position = r.Position;
        string text = r.ReadString();
        long uid = r.ReadInt64();
        if (!Address.TryParse(text, out Address address, out int consumed) || consumed != text.Length || !address.HasGlobalScope)
            throw new MessagePackFormatException($"'{text}' at offset {position} is not a node address (actortrain://system@host:port)", position);
        return new UniqueAddress(address, uid);
    }

    private static void WriteStrings(ref MessagePackWriter w, IReadOnlyCollection<string> values)
    {
        w.WriteArrayHeader(values.Count);
        foreach (string value in values) w.WriteString(value);
    }

    private static List<string> ReadStrings(ref MessagePackReader r)
    {
        int count = r.ReadArrayHeader();
        var values = new List<string>(Math.Min(count, 64));
        for (int i = 0; i < count; i++) values.Add(r.ReadString());
        return values;
    }

    private static void WriteGossip(ref MessagePackWriter w, Gossip gossip)
    {
        w.WriteArrayHeader(6);
        w.WriteArrayHeader(gossip.Members.Count);
        foreach (Member m in gossip.Members)
        {
            w.WriteArrayHeader(4);
            WriteNode(ref w, m.UniqueAddress);
            w.WriteInt32((int)m.Status);
            w.WriteInt32(m.UpNumber);
            WriteStrings(ref w, m.Roles);
        }
        w.WriteArrayHeader(gossip.Seen.Count);
        foreach (UniqueAddress node in gossip.Seen) WriteNode(ref w, node);
        var records = gossip.Reachability.Records.ToList();
        w.WriteArrayHeader(records.Count);
        foreach (ReachabilityRecord record in records)
        {
            w.WriteArrayHeader(4);
            WriteNode(ref w, record.Observer);
            WriteNode(ref w, record.Subject);
            w.WriteInt32((int)record.Status);
            w.WriteInt64(record.Version);
        }
        w.WriteArrayHeader(gossip.Reachability.ObserverVersions.Count);
        foreach (var (observer, version) in gossip.Reachability.ObserverVersions)
        {
            w.WriteArrayHeader(2);
            WriteNode(ref w, observer);
            w.WriteInt64(version);
        }
        w.WriteMapHeader(gossip.Version.Versions.Count);
        foreach (var (node, version) in gossip.Version.Versions)
        {
            w.WriteString(node);
            w.WriteInt64(version);
        }
        w.WriteArrayHeader(gossip.Tombstones.Count);
        foreach (var (node, ticks) in gossip.Tombstones)
        {
            w.WriteArrayHeader(2);
            WriteNode(ref w, node);
            w.WriteInt64(ticks);
        }
    }

    private static Gossip ReadGossip(ref MessagePackReader r)
    {
        RemotingSerializers.Expect(ref r, 6, "Gossip");
        var members = ImmutableSortedSet.CreateBuilder<Member>(AddressOrdering.Instance);
        int count = r.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            RemotingSerializers.Expect(ref r, 4, "Member");
            UniqueAddress node = ReadNode(ref r);
            int position = r.Position;
            int status = r.ReadInt32();
            if (status is < (int)MemberStatus.Joining or > (int)MemberStatus.Removed)
                throw new MessagePackFormatException($"member status {status} at offset {position} is not a MemberStatus", position);
            int upNumber = r.ReadInt32();
            members.Add(Member.FromWire(node, (MemberStatus)status, ReadStrings(ref r), upNumber));
        }
        var seen = ImmutableSortedSet.CreateBuilder<UniqueAddress>(AddressOrdering.Instance);
        count = r.ReadArrayHeader();
        for (int i = 0; i < count; i++) seen.Add(ReadNode(ref r));
        var records = new List<ReachabilityRecord>();
        count = r.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            RemotingSerializers.Expect(ref r, 4, "ReachabilityRecord");
            UniqueAddress observer = ReadNode(ref r), subject = ReadNode(ref r);
            int position = r.Position;
            int status = r.ReadInt32();
            if (status is not ((int)ReachabilityStatus.Reachable or (int)ReachabilityStatus.Unreachable))
                throw new MessagePackFormatException($"reachability status {status} at offset {position} is not valid", position);
            records.Add(new ReachabilityRecord(observer, subject, (ReachabilityStatus)status, r.ReadInt64()));
        }
        var versions = new List<KeyValuePair<UniqueAddress, long>>();
        count = r.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            RemotingSerializers.Expect(ref r, 2, "observer version");
            versions.Add(new(ReadNode(ref r), r.ReadInt64()));
        }
        var clock = new List<KeyValuePair<string, long>>();
        count = r.ReadMapHeader();
        for (int i = 0; i < count; i++) clock.Add(new(r.ReadString(), r.ReadInt64()));
        var tombstones = ImmutableSortedDictionary.CreateBuilder<UniqueAddress, long>(AddressOrdering.Instance);
        count = r.ReadArrayHeader();
        for (int i = 0; i < count; i++)
        {
            RemotingSerializers.Expect(ref r, 2, "tombstone");
            tombstones[ReadNode(ref r)] = r.ReadInt64();
        }
        return new Gossip(members.ToImmutable(), seen.ToImmutable(), Reachability.FromWire(records, versions), VectorClock.From(clock),
            tombstones.ToImmutable());
    }
}
