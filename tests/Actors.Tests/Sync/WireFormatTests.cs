using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class WireFormatTests
{
    [Fact]
    public void Tcp_data_frames_are_a_messagepack_bin32_followed_by_raw_little_endian_floats()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect((IPEndPoint)server.LocalEndpoint);
        using var accepted = server.AcceptSocket();
        using var channel = new TcpDataChannel(client, 64 * 1024);

        float[] payload = [1.5f, -2f, float.Epsilon];
        channel.Send(System.Runtime.InteropServices.MemoryMarshal.AsBytes(payload.AsSpan()));
        var bytes = new byte[5 + 12];
        int read = 0;
        while (read < bytes.Length) read += accepted.Receive(bytes.AsSpan(read));

        Assert.Equal(new byte[] { 0xc6, 0, 0, 0, 12 }, bytes[..5]);
        Assert.Equal(BitConverter.GetBytes(1.5f), bytes[5..9]);
        Assert.Equal(BitConverter.GetBytes(-2f), bytes[9..13]);
        Assert.Equal(BitConverter.GetBytes(float.Epsilon), bytes[13..17]);
    }

    [Fact]
    public void A_frame_that_is_not_bin32_is_rejected_with_the_byte_named()
    {
        var error = Assert.Throws<InvalidDataException>(() => SyncWire.ReadBin32Header([0xc4, 0, 0, 0, 1]));
        Assert.Contains("0xc4", error.Message);
    }

    [Fact]
    public void Collective_headers_round_trip_and_describe_the_call()
    {
        var header = new CollectiveHeader(CollectiveOp.Broadcast, 42, 1 << 20, 3);
        var bytes = new byte[CollectiveHeader.EncodedSize];
        header.Encode(bytes);
        Assert.Equal(header, CollectiveHeader.Decode(bytes));
        Assert.Equal("broadcast #42 of 1048576 floats from rank 3", header.Describe());
    }

    [Fact]
    public void Ring_segments_and_shards_tile_the_buffer_with_sizes_differing_by_at_most_one()
    {
        Prop.ForAll(Gen.Choose(0, 100_000).ToArbitrary(), Gen.Choose(1, 9).ToArbitrary(), Gen.Choose(1, 300).ToArbitrary(), (length, parts, chunk) =>
        {
            var plan = new RingPlan(length, parts, chunk);
            int covered = 0, min = int.MaxValue, max = 0;
            for (int s = 0; s < parts; s++)
            {
                Assert.Equal(covered, plan.SegmentStart(s));
                Assert.Equal(ShardLayout.Range(length, parts, s), (plan.SegmentStart(s), plan.SegmentLength(s)));
                int inChunks = 0;
                for (int c = 0; c < plan.ChunkCount(s); c++) inChunks += plan.Chunk(s, c).Length;
                Assert.Equal(plan.SegmentLength(s), inChunks);
                covered += plan.SegmentLength(s);
                min = Math.Min(min, plan.SegmentLength(s));
                max = Math.Max(max, plan.SegmentLength(s));
            }
            Assert.Equal(length, covered);
            Assert.True(max - min <= 1);
            var interleaved = ShardLayout.InterleavedChunks(length, parts, chunk).OrderBy(p => p.Offset).ToArray();
            Assert.Equal(length, interleaved.Sum(p => p.Length));
            for (int i = 1; i < interleaved.Length; i++)
                Assert.Equal(interleaved[i - 1].Offset + interleaved[i - 1].Length, interleaved[i].Offset);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Theory]
    [InlineData("ring", SyncStrategy.Ring)]
    [InlineData("parameter-server", SyncStrategy.ParameterServer)]
    public void Strategy_setting_values_parse(string value, SyncStrategy expected) =>
        Assert.Equal(expected, GradientSyncFactory.ParseStrategy(value));

    [Fact]
    public void An_unknown_strategy_names_the_accepted_values()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientSyncFactory.ParseStrategy("allgather"));
        Assert.Contains("ring or parameter-server", error.Message);
    }

    [Theory]
    [InlineData(TransportKind.Auto)]
    [InlineData(TransportKind.Tcp)]
    [InlineData(TransportKind.SharedMemory)]
    public void Every_transport_name_handed_to_worker_processes_parses_back_to_itself(TransportKind transport) =>
        Assert.Equal(transport, GradientSyncFactory.ParseTransport(GradientSyncFactory.TransportName(transport)));
}
