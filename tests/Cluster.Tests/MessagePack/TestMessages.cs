using ActorTrain.Cluster.MessagePack;

namespace ActorTrain.Cluster.Tests.MessagePack;

public sealed record Ping(int Sequence, string Text);

public readonly record struct Tick(long Number);

public sealed record Bucket(byte[] Data);

public sealed class PingSerializer : IMessageSerializer<Ping>
{
    public void Write(ref MessagePackWriter writer, Ping value)
    {
        writer.WriteArrayHeader(2);
        writer.WriteInt32(value.Sequence);
        writer.WriteString(value.Text);
    }

    public Ping Read(ref MessagePackReader reader)
    {
        int start = reader.Position;
        if (reader.ReadArrayHeader() != 2)
        {
            throw new MessagePackFormatException($"Ping at offset {start} must have 2 fields", start);
        }
        return new Ping(reader.ReadInt32(), reader.ReadString());
    }
}

public sealed class TickSerializer : IMessageSerializer<Tick>
{
    public void Write(ref MessagePackWriter writer, Tick value) => writer.WriteInt64(value.Number);

    public Tick Read(ref MessagePackReader reader) => new(reader.ReadInt64());
}

public sealed class BucketSerializer : IMessageSerializer<Bucket>
{
    public void Write(ref MessagePackWriter writer, Bucket value) => writer.WriteBin(value.Data);

    public Bucket Read(ref MessagePackReader reader) => new(reader.ReadBin().ToArray());
}

internal static class TestMessages
{
    public const int PingId = 10;
    public const int TickId = 11;
    public const int BucketId = 200;

    public static MessageTypeRegistry CreateRegistry()
    {
        var registry = new MessageTypeRegistry();
        registry.Register(PingId, new PingSerializer());
        registry.Register(TickId, new TickSerializer());
        registry.Register(BucketId, new BucketSerializer());
        return registry;
    }
}
