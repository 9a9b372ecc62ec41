using System.Buffers;
using ActorTrain.Actors.Job;
using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

public sealed class JobSerializersTests
{
    private static T RoundTrip<T>(T message) where T : notnull
    {
        var registry = new MessageTypeRegistry();
        JobSerializers.Register(registry);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        int id = registry.WritePayload(ref writer, message);
        Assert.True(id >= 100, $"job message ids must be in the application range, got {id}");
        var reader = new MessagePackReader(buffer.WrittenSpan);
        return (T)registry.ReadPayload(ref reader, id);
    }

    [Fact]
    public void Rendezvous_table_survives_the_wire_with_every_endpoint_field()
    {
        var table = new RendezvousTable(
            [new JobEndpoint(0, "127.0.0.1", 4000, "m1", "actortrain://actortrain@127.0.0.1:2552", 0),
             new JobEndpoint(1, "10.0.0.2", 4001, "m2", "actortrain://actortrain@10.0.0.2:2552", 1)],
            [new JobEndpoint(0, "127.0.0.1", 5000, "m1", "actortrain://actortrain@127.0.0.1:2552", 0)]);
        var back = RoundTrip(table);
        Assert.Equal(table.Ranks, back.Ranks);
        Assert.Equal(table.Shards, back.Shards);
    }

    [Fact]
    public void Registration_assignment_and_abort_survive_the_wire()
    {
        var register = RoundTrip(new RegisterNode("actortrain://actortrain@127.0.0.1:2552", -1, "127.0.0.1", "m", [4000, 4001]));
        Assert.Equal(("actortrain://actortrain@127.0.0.1:2552", -1, "127.0.0.1", "m"), (register.NodeAddress, register.ConfiguredNodeRank, register.Host, register.MachineId));
        Assert.Equal([4000, 4001], register.RankPorts);
        byte[] token = ActorTrain.Actors.Sync.Transport.DataLinkToken.Create();
        var assignment = RoundTrip(new NodeAssignment(2, 4, [2], token));
        Assert.Equal((2, 4), (assignment.NodeRank, assignment.ShardCount));
        Assert.Equal([2], assignment.HostedShards);
        Assert.Equal(token, assignment.DataLinkToken);
        Assert.Equal("why", RoundTrip(new JobAborted("why")).Reason);
        Assert.Equal(7, RoundTrip(new ShardReady(new JobEndpoint(7, "h", 1, "m", "a", 3))).Endpoint.Index);
    }
}
