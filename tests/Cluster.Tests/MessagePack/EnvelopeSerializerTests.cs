using System.Buffers;
using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

public sealed class EnvelopeSerializerTests
{
    [Fact]
    public void Envelope_round_trips_sender_recipient_type_id_and_message()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        EnvelopeSerializer.Write(ref writer, registry, "actortrain://train@10.0.0.1:2552/user/rank-0", "actortrain://train@10.0.0.2:2552/user/rank-1",
            new Ping(42, "hello"));

        Envelope envelope = EnvelopeSerializer.ReadFrame(buffer.WrittenSpan, registry);

        Assert.Equal("actortrain://train@10.0.0.1:2552/user/rank-0", envelope.SenderPath);
        Assert.Equal("actortrain://train@10.0.0.2:2552/user/rank-1", envelope.RecipientPath);
        Assert.Equal(TestMessages.PingId, envelope.TypeId);
        Assert.Equal(new Ping(42, "hello"), envelope.Message);
    }

    [Fact]
    public void Envelope_without_sender_carries_nil_and_value_type_messages_need_no_boxing_api()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        EnvelopeSerializer.Write(ref writer, registry, null, "/user/job", new Tick(7));

        var reader = new MessagePackReader(buffer.WrittenSpan);
        Envelope envelope = EnvelopeSerializer.Read(ref reader, registry);
        Assert.Null(envelope.SenderPath);
        Assert.Equal(new Tick(7), envelope.Message);
        Assert.True(reader.End);
    }

    [Fact]
    public void Bucket_payload_written_as_header_then_raw_memory_is_read_as_a_slice()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        byte[] bucket = Enumerable.Range(0, 1 << 20).Select(i => (byte)i).ToArray();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        // The zero-copy path remoting uses: envelope header + bin header, then the bucket's own memory.
        EnvelopeSerializer.WriteHeader(ref writer, "/user/rank-0", "/user/rank-1", TestMessages.BucketId);
        writer.WriteBinHeader(bucket.Length);
        writer.WriteRaw(bucket);

        var reader = new MessagePackReader(buffer.WrittenSpan);
        EnvelopeHeader header = EnvelopeSerializer.ReadHeader(ref reader);
        Assert.Equal(TestMessages.BucketId, header.TypeId);
        Assert.True(reader.ReadBin().SequenceEqual(bucket));
        Assert.True(reader.End);

        Envelope decoded = EnvelopeSerializer.ReadFrame(buffer.WrittenSpan, registry);
        Assert.Equal(bucket, ((Bucket)decoded.Message).Data);
    }

    [Fact]
    public void Unknown_type_id_is_rejected_naming_the_id()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        EnvelopeSerializer.WriteHeader(ref writer, null, "/user/x", 913);
        writer.WriteNil();

        var e = Assert.Throws<UnknownMessageTypeException>(() => EnvelopeSerializer.ReadFrame(buffer.WrittenSpan, registry));
        Assert.StartsWith("unknown message type id 913", e.Message);
        Assert.Equal(913, e.TypeId);
        Assert.IsAssignableFrom<MessagePackFormatException>(e);
    }

    [Fact]
    public void Trailing_bytes_after_an_envelope_and_wrong_field_counts_are_format_errors()
    {
        MessageTypeRegistry registry = TestMessages.CreateRegistry();
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        EnvelopeSerializer.Write(ref writer, registry, null, "/user/x", new Tick(1));
        writer.WriteNil();
        var trailing = Assert.Throws<MessagePackFormatException>(() => EnvelopeSerializer.ReadFrame(buffer.WrittenSpan, registry));
        Assert.Contains("1 unexpected byte(s)", trailing.Message);

        var three = Assert.Throws<MessagePackFormatException>(() => EnvelopeSerializer.ReadFrame([0x93, 0xc0, 0xa1, (byte)'x', 0x01], registry));
        Assert.Contains("has 3 fields; expected 4", three.Message);
    }
}
