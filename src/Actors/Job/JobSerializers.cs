using ActorTrain.Cluster.MessagePack;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Actors.Job;

/// <summary>
/// MessagePack forms of the job messages, registered under ids 100..105 (application range). Every record is an
/// array of its fields in declaration order; a <see cref="JobEndpoint"/> is <c>[index, host, port, machine, node, node rank]</c>.
/// </summary>
public static class JobSerializers
{
    /// <summary>Id of <see cref="RegisterNode"/>; the others follow in order.</summary>
    public const int FirstId = ReservedTypeIds.FirstApplicationId;

    /// <summary>Registers every job message type (idempotent for the same ids).</summary>
    public static void Register(MessageTypeRegistry registry)
    {
        int id = FirstId;
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<RegisterNode>(
            (ref MessagePackWriter w, RegisterNode m) =>
            {
                w.WriteArrayHeader(5);
                w.WriteString(m.NodeAddress);
                w.WriteInt32(m.ConfiguredNodeRank);
                w.WriteString(m.Host);
                w.WriteString(m.MachineId);
                WriteInts(ref w, m.RankPorts);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 5, nameof(RegisterNode));
                return new RegisterNode(r.ReadString(), r.ReadInt32(), r.ReadString(), r.ReadString(), ReadInts(ref r));
            }));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<NodeAssignment>(
            (ref MessagePackWriter w, NodeAssignment m) =>
            {
                w.WriteArrayHeader(4);
                w.WriteInt32(m.NodeRank);
                w.WriteInt32(m.ShardCount);
                WriteInts(ref w, m.HostedShards);
                w.WriteBin(m.DataLinkToken);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 4, nameof(NodeAssignment));
                return new NodeAssignment(r.ReadInt32(), r.ReadInt32(), ReadInts(ref r), r.ReadBin().ToArray());
            }));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<ShardReady>(
            (ref MessagePackWriter w, ShardReady m) => WriteEndpoint(ref w, m.Endpoint),
            (ref MessagePackReader r) => new ShardReady(ReadEndpoint(ref r))));
        RemotingSerializers.RegisterOnce(registry, id++, new DelegateSerializer<RendezvousTable>(
            (ref MessagePackWriter w, RendezvousTable m) =>
            {
                w.WriteArrayHeader(2);
                WriteEndpoints(ref w, m.Ranks);
                WriteEndpoints(ref w, m.Shards);
            },
            (ref MessagePackReader r) =>
            {
                RemotingSerializers.Expect(ref r, 2, nameof(RendezvousTable));
                return new RendezvousTable(ReadEndpoints(ref r), ReadEndpoints(ref r));
            }));
        RemotingSerializers.RegisterOnce(registry, id, new DelegateSerializer<JobAborted>(
            (ref MessagePackWriter w, JobAborted m) => w.WriteString(m.Reason),
            (ref MessagePackReader r) => new JobAborted(r.ReadString())));
    }

    private static void WriteInts(ref MessagePackWriter w, int[] values)
    {
        w.WriteArrayHeader(values.Length);
        foreach (int v in values) w.WriteInt32(v);
    }

    private static int[] ReadInts(ref MessagePackReader r)
    {
        int n = r.ReadArrayHeader();
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = r.ReadInt32();
        return values;
    }

    private static void WriteEndpoint(ref MessagePackWriter w, JobEndpoint e)
    {
        w.WriteArrayHeader(6);
        w.WriteInt32(e.Index);
        w.WriteString(e.Host);
        w.WriteInt32(e.Port);
        w.WriteString(e.MachineId);
        w.WriteString(e.NodeAddress);
        w.WriteInt32(e.NodeRank);
    }

    private static JobEndpoint ReadEndpoint(ref MessagePackReader r)
    {
        RemotingSerializers.Expect(ref r, 6, nameof(JobEndpoint));
        return new JobEndpoint(r.ReadInt32(), r.ReadString(), r.ReadInt32(), r.ReadString(), r.ReadString(), r.ReadInt32());
    }

    private static void WriteEndpoints(ref MessagePackWriter w, JobEndpoint[] endpoints)
    {
        w.WriteArrayHeader(endpoints.Length);
        foreach (var e in endpoints) WriteEndpoint(ref w, e);
    }

    private static JobEndpoint[] ReadEndpoints(ref MessagePackReader r)
    {
        int n = r.ReadArrayHeader();
        var endpoints = new JobEndpoint[n];
        for (int i = 0; i < n; i++) endpoints[i] = ReadEndpoint(ref r);
        return endpoints;
    }
}
