using System.Runtime.Serialization;
using ActorTrain.Actors.Job;
using ActorTrain.Actors.Sync.Transport.AkkaLink;
using ActorTrain.Cluster.Serialization;
using Akka.TestKit.Xunit2;
using Xunit;

namespace ActorTrain.Actors.Tests.Job;

public sealed class JobMessageSerializationTests() : TestKit(AkkaTestConfig.Local)
{
    private static readonly JobEndpoint[] Ranks =
    [
        new(0, "127.0.0.1", 4000, "m1", "akka.tcp://actortrain@127.0.0.1:2552", 0),
        new(1, "10.0.0.2", 4001, "m2", "akka.tcp://actortrain@10.0.0.2:2552", 1),
    ];

    public static TheoryData<IMessageContract> EveryJobMessage() =>
    [
        new RegisterNode("akka.tcp://actortrain@127.0.0.1:2552", -1, "127.0.0.1", "machine", [4000, 4001]),
        new NodeAssignment(1, 2, [1], [1, 2, 3, 255]),
        new ShardReady(Ranks[1]),
        new RendezvousTable(Ranks, [Ranks[0] with { Port = 5000 }]),
        new JobAborted("nodes a and b both have node-rank 0"),
        // The akka data links' messages.
        new DataChunk(new byte[32], 7, 300_000, 57_344, [1, 2, 3, 4]),
        new ChunkCredit(new byte[32], 1),
        new DataLinkAborted(new byte[32], "rank 2 stopped responding"),
        // The dashboard's reports.
        new ActorTrain.Actors.Dashboard.RankProgress("akka.tcp://actortrain@127.0.0.1:2552", [new(0, 12, 0.25, 0.05, 1000.5)]),
        new ActorTrain.Actors.Dashboard.RunEvents([new("step", 12, 100, 3.5, 1000, null, null, 1.5), new("checkpoint", 12, 100, null, null, null, "/runs/x", 1.6)]),
    ];

    private MessagePackContractSerializer Serializer(object message) =>
        Assert.IsType<MessagePackContractSerializer>(Sys.Serialization.FindSerializerFor(message));

    [Theory]
    [MemberData(nameof(EveryJobMessage))]
    public void Every_job_message_round_trips_through_the_MessagePack_serializer_bound_in_HOCON(IMessageContract message)
    {
        var serializer = Serializer(message);
        byte[] bytes = serializer.ToBinary(message);
        var back = serializer.FromBinary(bytes, serializer.Manifest(message));
        // Records compare arrays by reference: compare the serialized forms, and the type.
        Assert.IsType(message.GetType(), back);
        Assert.Equal(bytes, serializer.ToBinary(back));
    }

    [Fact]
    public void Every_contract_type_of_the_job_vocabulary_is_listed_and_every_listed_one_loads()
    {
        var serializer = Serializer(new JobAborted("x"));
        var contracts = typeof(RegisterNode).Assembly.GetTypes().Where(t => typeof(IMessageContract).IsAssignableFrom(t) && !t.IsInterface);
        foreach (var type in contracts) Assert.Contains(type, serializer.Contracts.Values);
        Assert.Equal(11, serializer.Contracts.Count); // five job messages, three akka data-link messages, two dashboard reports and the ping-pong benchmark's Ping
    }

    [Fact]
    public void Rendezvous_table_keeps_every_endpoint_field()
    {
        var table = new RendezvousTable(Ranks, []);
        var serializer = Serializer(table);
        var back = (RendezvousTable)serializer.FromBinary(serializer.ToBinary(table), serializer.Manifest(table));
        Assert.Equal(Ranks, back.Ranks);
        Assert.Empty(back.Shards);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xc1 })]                         // a byte MessagePack never uses
    [InlineData(new byte[] { 0x95, 0xa1, 0x61 })]             // array of 5, then only one element
    [InlineData(new byte[] { 0xdd, 0xff, 0xff, 0xff, 0xff })] // array announcing 4 billion elements
    [InlineData(new byte[] { 0x95, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0 })] // nils where strings and ints belong
    public void A_malformed_payload_is_refused_with_a_serialization_error(byte[] payload)
    {
        var serializer = Serializer(new JobAborted("x"));
        var error = Assert.ThrowsAny<SerializationException>(() => serializer.FromBinary(payload, "node-register"));
        Assert.Contains("node-register", error.Message);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_without_loading_any_type()
    {
        var serializer = Serializer(new JobAborted("x"));
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary([0x90], "System.Diagnostics.Process, System"));
        Assert.Contains("unknown message manifest", error.Message);
    }
}
