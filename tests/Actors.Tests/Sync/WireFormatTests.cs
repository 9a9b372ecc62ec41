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
    [Theory]
    [InlineData(3)] // bin8 header
    [InlineData(100_000)] // bin32 header: every chunk of a real bucket
    public async Task Tcp_data_frames_are_a_messagepack_map_then_the_payload_as_bin_of_raw_little_endian_floats(int floats)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect((IPEndPoint)server.LocalEndpoint);
        using var accepted = server.AcceptSocket();
        using var channel = new TcpDataChannel(client, 1 << 20);

        float[] payload = [.. Enumerable.Range(0, floats).Select(i => i % 3 == 0 ? float.Epsilon : -1.5f * i)];
        var sending = Task.Run(() => channel.Send(System.Runtime.InteropServices.MemoryMarshal.AsBytes(payload.AsSpan())));
        var bytes = new byte[FrameHeader.SizeFor(floats * 4) + floats * 4];
        int read = 0;
        while (read < bytes.Length) read += accepted.Receive(bytes.AsSpan(read));
        await sending.WaitAsync(TimeSpan.FromSeconds(10));

        // Read back with MessagePack-CSharp's own reader: {"n": length}, then bin(length) holding the floats.
        var reader = new MessagePack.MessagePackReader(bytes);
        Assert.Equal(1, reader.ReadMapHeader());
        Assert.Equal("n", reader.ReadString());
        Assert.Equal(floats * 4, reader.ReadInt32());
        if (floats * 4 > ushort.MaxValue) Assert.Equal(MessagePack.MessagePackCode.Bin32, reader.NextCode);
        var body = System.Buffers.BuffersExtensions.ToArray(reader.ReadBytes()!.Value);
        Assert.True(reader.End);
        Assert.Equal(System.Runtime.InteropServices.MemoryMarshal.AsBytes(payload.AsSpan()).ToArray(), body);
    }

    [Fact]
    public void A_frame_that_is_not_a_sync_frame_header_is_rejected_with_its_bytes_named()
    {
        // What the previous protocol sent (a bare bin32 header), and a map with another key.
        var codec = new FrameHeader();
        var bare = Assert.Throws<InvalidDataException>(() => codec.ReadLength([0xc6, 0, 0, 0, 12, 1, 2, 3]));
        Assert.Contains("C6000000", bare.Message);
        var otherKey = Assert.Throws<InvalidDataException>(() => codec.ReadLength([0x81, 0xa1, (byte)'x', 0xd2, 0, 0, 0, 12]));
        Assert.Contains("sync frame header", otherKey.Message);
        Assert.Equal(12, codec.ReadLength(codec.Encode(12)));
    }

    [Fact]
    public void Collective_headers_round_trip_at_a_fixed_size_and_describe_the_call()
    {
        foreach (var header in new[] { new CollectiveHeader(CollectiveOp.Broadcast, 42, 1 << 20, 3), new CollectiveHeader(CollectiveOp.Barrier, 1, 0, 0) })
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            header.Encode(buffer);
            Assert.Equal(CollectiveHeader.EncodedSize, buffer.WrittenCount);
            Assert.Equal(header, CollectiveHeader.Decode(buffer.WrittenMemory));
        }
        Assert.Equal("broadcast #42 of 1048576 floats from rank 3", new CollectiveHeader(CollectiveOp.Broadcast, 42, 1 << 20, 3).Describe());
    }

    [Fact]
    public void Hellos_and_side_messages_round_trip_and_a_truncated_one_is_refused()
    {
        var hello = new LinkHello(DataLinkToken.Create(), "g", "ring", 3, LinkHello.SideRole, true, "/dev/shm/x", 8, 4096);
        var back = LinkHello.Decode(hello.Encode());
        Assert.Equal(hello.Token, back.Token);
        Assert.Equal(hello with { Token = back.Token }, back);
        var side = new SideMessage(SideMessageKind.Abort, 2, "rank 2 at h", "it stopped");
        Assert.Equal(side, SideMessage.Decode(side.Encode()));
        Assert.Equal("no", LinkHello.DecodeReply(LinkHello.EncodeReply("no")));
        Assert.Null(LinkHello.DecodeReply(LinkHello.EncodeReply(null)));
        var truncated = hello.Encode()[..20];
        Assert.Throws<InvalidDataException>(() => LinkHello.Decode(truncated));
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
