using System.Buffers;
using MessagePack;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Encodes and decodes the sync layer's small control messages (hellos, replies, side messages) with
/// MessagePack-CSharp's <see cref="T:MessagePack.MessagePackWriter"/> and <see cref="T:MessagePack.MessagePackReader"/>. Messages are maps with
/// string keys read by name, so a field added later does not break an older reader's view of the others.
/// </summary>
internal static class SyncMessage
{
    /// <summary>Writes a message body.</summary>
    public delegate void Body(ref MessagePackWriter writer);

    /// <summary>Reads a message body.</summary>
    public delegate T Read<out T>(ref MessagePackReader reader);

    /// <summary>The bytes <paramref name="body"/> writes.</summary>
    public static byte[] Encode(Body body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        body(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one message of kind <paramref name="what"/> from <paramref name="bytes"/> (all of them); malformed or
    /// truncated input throws <see cref="InvalidDataException"/> naming <paramref name="what"/>.
    /// </summary>
    public static T Decode<T>(ReadOnlyMemory<byte> bytes, string what, Read<T> read)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            T value = read(ref reader);
            if (!reader.End) throw new InvalidDataException($"malformed {what}: {bytes.Length - reader.Consumed} bytes after its end");
            return value;
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw new InvalidDataException($"malformed {what}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a map header and then each entry through <paramref name="entry"/> (key, reader); unknown keys must be skipped by it.</summary>
    public static void ReadMap(ref MessagePackReader reader, string what, EntryReader entry)
    {
        if (reader.NextMessagePackType != MessagePackType.Map) throw new InvalidDataException($"malformed {what}: not a map");
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString() ?? throw new InvalidDataException($"malformed {what}: nil key");
            entry(key, ref reader);
        }
    }

    /// <summary>Reads the value of one map entry.</summary>
    public delegate void EntryReader(string key, ref MessagePackReader reader);

    /// <summary>A string value or nil.</summary>
    public static void WriteNullable(ref MessagePackWriter writer, string? value)
    {
        if (value is null) writer.WriteNil();
        else writer.Write(value);
    }

    /// <summary>An int value or nil.</summary>
    public static void WriteNullable(ref MessagePackWriter writer, int? value)
    {
        if (value is int v) writer.Write(v);
        else writer.WriteNil();
    }

    /// <summary>A string or nil.</summary>
    public static string? ReadNullableString(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadString();

    /// <summary>An int or nil.</summary>
    public static int? ReadNullableInt(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt32();

    /// <summary>Throws when a required field was absent.</summary>
    public static T Required<T>(T? value, string field, string what) where T : class =>
        value ?? throw new InvalidDataException($"malformed {what}: no '{field}'");

    /// <summary>Throws when a required field was absent.</summary>
    public static T Required<T>(T? value, string field, string what) where T : struct =>
        value ?? throw new InvalidDataException($"malformed {what}: no '{field}'");
}
