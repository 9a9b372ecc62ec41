using System.Buffers;
using System.Text;
using System.Text.Json;
using ActorTrain.Cluster.MessagePack;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>
/// A generic MessagePack value tree used by the tests: built by generators and edge-case tables, written with our
/// writer, read back with our reader, and described as JSON for the independent Python implementation.
/// </summary>
public abstract record MpValue
{
    public abstract void Write(ref MessagePackWriter writer);

    /// <summary>Describes the value for tests/Cluster.Tests/MessagePack/msgpack_peer.py.</summary>
    public abstract void WriteJson(Utf8JsonWriter json);

    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static MpValue Decode(ReadOnlySpan<byte> bytes, int maxDepth = MessagePackReader.DefaultMaxDepth)
    {
        var reader = new MessagePackReader(bytes, maxDepth);
        MpValue value = Read(ref reader);
        if (!reader.End)
        {
            throw new MessagePackFormatException($"{reader.Remaining} trailing bytes at offset {reader.Position}", reader.Position);
        }
        return value;
    }

    /// <summary>Reads any value, recursing with the reader's depth accounting.</summary>
    public static MpValue Read(ref MessagePackReader reader)
    {
        switch (reader.PeekType())
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return new MpNil();
            case MessagePackType.Boolean:
                return new MpBool(reader.ReadBoolean());
            case MessagePackType.Integer:
                if (reader.PeekCode() == MessagePackCode.UInt64)
                {
                    ulong big = reader.ReadUInt64();
                    return big > long.MaxValue ? new MpUInt(big) : new MpInt((long)big);
                }
                return new MpInt(reader.ReadInt64());
            case MessagePackType.Float:
                return reader.PeekCode() == MessagePackCode.Float32 ? new MpFloat32(reader.ReadSingle()) : new MpFloat64(reader.ReadDouble());
            case MessagePackType.String:
                return new MpStr(reader.ReadString());
            case MessagePackType.Binary:
                return new MpBin(reader.ReadBin().ToArray());
            case MessagePackType.Array:
            {
                reader.EnterNested(); // before the header, so a depth error names the container's offset
                int count = reader.ReadArrayHeader();
                var items = new MpValue[count];
                for (int i = 0; i < count; i++)
                {
                    items[i] = Read(ref reader);
                }
                reader.ExitNested();
                return new MpArr(items);
            }
            case MessagePackType.Map:
            {
                reader.EnterNested();
                int count = reader.ReadMapHeader();
                var pairs = new (MpValue, MpValue)[count];
                for (int i = 0; i < count; i++)
                {
                    MpValue key = Read(ref reader);
                    pairs[i] = (key, Read(ref reader));
                }
                reader.ExitNested();
                return new MpMap(pairs);
            }
            case MessagePackType.Extension:
            {
                var probe = reader;
                if (probe.ReadExtensionHeader().TypeCode == MessagePackCode.TimestampExtensionType)
                {
                    return new MpTimestamp(reader.ReadTimestamp());
                }
                ReadOnlySpan<byte> data = reader.ReadExtension(out sbyte typeCode);
                return new MpExt(typeCode, data.ToArray());
            }
            default:
                reader.Skip(); // throws: 0xc1
                throw new InvalidOperationException("unreachable");
        }
    }

    protected static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}

public sealed record MpNil : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteNil();
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "nil"); json.WriteEndObject(); }
    public override string ToString() => "nil";
}

public sealed record MpBool(bool Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteBoolean(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "bool"); json.WriteBoolean("v", Value); json.WriteEndObject(); }
    public override string ToString() => Value ? "true" : "false";
}

public sealed record MpInt(long Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteInt64(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "int"); json.WriteString("v", Value.ToString()); json.WriteEndObject(); }
    public override string ToString() => Value.ToString();
}

public sealed record MpUInt(ulong Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteUInt64(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "int"); json.WriteString("v", Value.ToString()); json.WriteEndObject(); }
    public override string ToString() => Value + "u";
}

public sealed record MpFloat32(float Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteSingle(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "f32"); json.WriteString("v", BitConverter.SingleToUInt32Bits(Value).ToString("x8")); json.WriteEndObject(); }
    public override string ToString() => Value + "f";
}

public sealed record MpFloat64(double Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteDouble(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "f64"); json.WriteString("v", BitConverter.DoubleToUInt64Bits(Value).ToString("x16")); json.WriteEndObject(); }
    public override string ToString() => Value + "d";
}

public sealed record MpStr(string Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteString(Value);
    // Hex of the UTF-8 bytes, so JSON escaping can never change what Python packs.
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "str"); json.WriteString("v", Hex(Encoding.UTF8.GetBytes(Value))); json.WriteEndObject(); }
    public override string ToString() => Value.Length <= 20 ? $"\"{Value}\"" : $"str[{Value.Length}]";
}

public sealed record MpBin(byte[] Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteBin(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "bin"); json.WriteString("v", Hex(Value)); json.WriteEndObject(); }
    public override string ToString() => $"bin[{Value.Length}]";
}

public sealed record MpArr(IReadOnlyList<MpValue> Items) : MpValue
{
    public override void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(Items.Count);
        foreach (MpValue item in Items)
        {
            item.Write(ref writer);
        }
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("t", "arr");
        json.WriteStartArray("v");
        foreach (MpValue item in Items)
        {
            item.WriteJson(json);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}

public sealed record MpMap(IReadOnlyList<(MpValue Key, MpValue Value)> Pairs) : MpValue
{
    public override void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(Pairs.Count);
        foreach ((MpValue key, MpValue value) in Pairs)
        {
            key.Write(ref writer);
            value.Write(ref writer);
        }
    }

    public override void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("t", "map");
        json.WriteStartArray("v");
        foreach ((MpValue key, MpValue value) in Pairs)
        {
            json.WriteStartArray();
            key.WriteJson(json);
            value.WriteJson(json);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public override string ToString() => "{" + string.Join(", ", Pairs.Select(p => $"{p.Key}: {p.Value}")) + "}";
}

public sealed record MpExt(sbyte TypeCode, byte[] Data) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteExtension(TypeCode, Data);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "ext"); json.WriteNumber("c", TypeCode); json.WriteString("v", Hex(Data)); json.WriteEndObject(); }
    public override string ToString() => $"ext({TypeCode}, [{Data.Length}])";
}

public sealed record MpTimestamp(MessagePackTimestamp Value) : MpValue
{
    public override void Write(ref MessagePackWriter writer) => writer.WriteTimestamp(Value);
    public override void WriteJson(Utf8JsonWriter json) { json.WriteStartObject(); json.WriteString("t", "ts"); json.WriteString("s", Value.Seconds.ToString()); json.WriteNumber("n", Value.Nanoseconds); json.WriteEndObject(); }
    public override string ToString() => $"ts({Value.Seconds}, {Value.Nanoseconds})";
}
