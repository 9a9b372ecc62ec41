using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>
/// An independent reader of TensorBoard event files for the tests: the TFRecord framing (uint64 length, masked
/// CRC-32C of the length, data, masked CRC-32C of the data) with both checksums verified, and just enough protobuf
/// wire decoding for <c>Event{wall_time=1, step=2, file_version=3, summary=5{value=1{tag=1, simple_value=2}}}</c>.
/// It shares no code with TorchSharp's writer or Google.Protobuf: CRC-32C comes from the CPU instruction
/// (<see cref="BitOperations.Crc32C(uint, byte)"/>).
/// </summary>
internal static class TfRecordEventReader
{
    /// <summary>One decoded event: its step, file_version (first record) and scalar values.</summary>
    public sealed record Event(long Step, double WallTime, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

    /// <summary>Reads every record of <paramref name="path"/>; throws <see cref="InvalidDataException"/> on a bad checksum or a truncated record.</summary>
    public static List<Event> Read(string path) => Read(File.ReadAllBytes(path), path);

    public static List<Event> Read(byte[] file, string name)
    {
        var events = new List<Event>();
        var at = 0;
        while (at < file.Length)
        {
            if (file.Length - at < 12) throw new InvalidDataException($"{name}: truncated record header at byte {at}");
            var header = file.AsSpan(at, 8);
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            var headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8, 4));
            if (MaskedCrc32C(header) != headerCrc) throw new InvalidDataException($"{name}: length checksum mismatch at byte {at}");
            if ((ulong)(file.Length - at - 16) < length) throw new InvalidDataException($"{name}: truncated record at byte {at}");
            var data = file.AsSpan(at + 12, (int)length);
            var dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length, 4));
            if (MaskedCrc32C(data) != dataCrc) throw new InvalidDataException($"{name}: data checksum mismatch in the record at byte {at}");
            events.Add(DecodeEvent(data));
            at += 16 + (int)length;
        }
        return events;
    }

    /// <summary>TFRecord's checksum: CRC-32C, rotated right by 15 bits, plus 0xa282ead8.</summary>
    public static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>Plain CRC-32C (Castagnoli), initial and final XOR 0xFFFFFFFF.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private static Event DecodeEvent(ReadOnlySpan<byte> data)
    {
        long step = 0;
        double wallTime = 0;
        string? fileVersion = null;
        var scalars = new List<(string, float)>();
        var reader = new Wire(data);
        while (!reader.End)
        {
            var (field, type) = reader.Key();
            switch (field, type)
            {
                case (1, 1): wallTime = BitConverter.Int64BitsToDouble((long)reader.Fixed64()); break;
                case (2, 0): step = (long)reader.Varint(); break;
                case (3, 2): fileVersion = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (5, 2): DecodeSummary(reader.Bytes(), scalars); break;
                default: reader.Skip(type); break;
            }
        }
        return new Event(step, wallTime, fileVersion, scalars);
    }

    private static void DecodeSummary(ReadOnlySpan<byte> data, List<(string, float)> scalars)
    {
        var reader = new Wire(data);
        while (!reader.End)
        {
            var (field, type) = reader.Key();
            if (field != 1 || type != 2) { reader.Skip(type); continue; }
            var value = new Wire(reader.Bytes());
            string? tag = null;
            float? simple = null;
            while (!value.End)
            {
                var (f, t) = value.Key();
                if (f == 1 && t == 2) tag = Encoding.UTF8.GetString(value.Bytes());
                else if (f == 2 && t == 5) simple = BitConverter.Int32BitsToSingle((int)value.Fixed32());
                else value.Skip(t);
            }
            if (tag is not null && simple is { } v) scalars.Add((tag, v));
        }
    }

    /// <summary>Protobuf wire format: varint keys, the four wire types an Event uses.</summary>
    private ref struct Wire(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public readonly bool End => _at >= _data.Length;

        public (int Field, int Type) Key()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("varint longer than 10 bytes");
        }

        public ulong Fixed64() { var v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_at, 8)); _at += 8; return v; }

        public uint Fixed32() { var v = BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_at, 4)); _at += 4; return v; }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = (int)Varint();
            var bytes = _data.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public void Skip(int type)
        {
            switch (type)
            {
                case 0: Varint(); break;
                case 1: _at += 8; break;
                case 2: Bytes(); break;
                case 5: _at += 4; break;
                default: throw new InvalidDataException($"unexpected wire type {type}");
            }
        }
    }
}
