using System.Buffers.Binary;
using System.Text;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The tiny MessagePack subset the sync data plane speaks (kept in this one file so the project's MessagePack codec
/// can replace it). Every frame on a stream is a MessagePack <c>bin32</c>: 0xc6, big-endian uint32 length, payload.
/// Data payloads are raw little-endian floats, so bytes go from the bucket's memory to the socket without re-encoding;
/// control payloads (hello, collective headers, abort notices) are MessagePack arrays of ints, strings and nil.
/// </summary>
internal static class SyncWire
{
    /// <summary>Size of a bin32 header.</summary>
    public const int Bin32HeaderSize = 5;

    private const byte Bin32 = 0xc6;

    /// <summary>Writes 0xc6 and the big-endian length.</summary>
    public static void WriteBin32Header(Span<byte> destination, int length)
    {
        destination[0] = Bin32;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], checked((uint)length));
    }

    /// <summary>Reads a bin32 header and returns the payload length; throws <see cref="InvalidDataException"/> if it is not one.</summary>
    public static int ReadBin32Header(ReadOnlySpan<byte> header)
    {
        if (header[0] != Bin32)
            throw new InvalidDataException($"expected a MessagePack bin32 frame (0xc6), got 0x{header[0]:x2}; the peer speaks another protocol or the stream is out of step");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > int.MaxValue)
            throw new InvalidDataException($"frame length {length} is larger than 2 GiB");
        return (int)length;
    }

    /// <summary>Writes MessagePack values into a growable buffer.</summary>
    public sealed class Writer
    {
        private byte[] _buffer = new byte[256];

        /// <summary>Bytes written so far.</summary>
        public int Length { get; private set; }

        /// <summary>The bytes written.</summary>
        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

        /// <summary>Starts an array of <paramref name="count"/> elements (fixarray or array16).</summary>
        public Writer ArrayHeader(int count)
        {
            if (count < 16) { Ensure(1)[0] = (byte)(0x90 | count); Length += 1; }
            else { var s = Ensure(3); s[0] = 0xdc; BinaryPrimitives.WriteUInt16BigEndian(s[1..], checked((ushort)count)); Length += 3; }
            return this;
        }

        /// <summary>Writes an int64 (0xd3, always 9 bytes: simple and unambiguous).</summary>
        public Writer Int(long value)
        {
            var s = Ensure(9);
            s[0] = 0xd3;
            BinaryPrimitives.WriteInt64BigEndian(s[1..], value);
            Length += 9;
            return this;
        }

        /// <summary>Writes bytes as a bin32.</summary>
        public Writer Bin(ReadOnlySpan<byte> value)
        {
            var s = Ensure(Bin32HeaderSize + value.Length);
            WriteBin32Header(s, value.Length);
            value.CopyTo(s[Bin32HeaderSize..]);
            Length += Bin32HeaderSize + value.Length;
            return this;
        }

        /// <summary>Writes nil.</summary>
        public Writer Nil() { Ensure(1)[0] = 0xc0; Length += 1; return this; }

        /// <summary>Writes a UTF-8 string (str32 header).</summary>
        public Writer String(string value)
        {
            int count = Encoding.UTF8.GetByteCount(value);
            var s = Ensure(5 + count);
            s[0] = 0xdb;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)count);
            Encoding.UTF8.GetBytes(value, s[5..]);
            Length += 5 + count;
            return this;
        }

        private Span<byte> Ensure(int extra)
        {
            if (Length + extra > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
            return _buffer.AsSpan(Length);
        }
    }

    /// <summary>Reads the MessagePack values <see cref="Writer"/> writes (ints in any MessagePack int encoding).</summary>
    public ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        /// <summary>Reads an array header (fixarray, array16, array32).</summary>
        public int ArrayHeader()
        {
            byte b = Next();
            if ((b & 0xf0) == 0x90) return b & 0x0f;
            if (b == 0xdc) { int v = BinaryPrimitives.ReadUInt16BigEndian(Take(2)); return v; }
            if (b == 0xdd) return checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4)));
            throw Bad(b, "an array");
        }

        /// <summary>True (and consumed) when the next value is nil.</summary>
        public bool TryNil()
        {
            if (_position < _data.Length && _data[_position] == 0xc0) { _position++; return true; }
            return false;
        }

        /// <summary>Reads any MessagePack integer.</summary>
        public long Int()
        {
            byte b = Next();
            if (b <= 0x7f) return b;
            if (b >= 0xe0) return (sbyte)b;
            return b switch
            {
                0xcc => Take(1)[0],
                0xcd => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
                0xce => BinaryPrimitives.ReadUInt32BigEndian(Take(4)),
                0xcf => checked((long)BinaryPrimitives.ReadUInt64BigEndian(Take(8))),
                0xd0 => (sbyte)Take(1)[0],
                0xd1 => BinaryPrimitives.ReadInt16BigEndian(Take(2)),
                0xd2 => BinaryPrimitives.ReadInt32BigEndian(Take(4)),
                0xd3 => BinaryPrimitives.ReadInt64BigEndian(Take(8)),
                _ => throw Bad(b, "an integer"),
            };
        }

        /// <summary>Reads bytes (bin8, bin16, bin32).</summary>
        public ReadOnlySpan<byte> Bin()
        {
            byte b = Next();
            int length = b switch
            {
                0xc4 => Take(1)[0],
                0xc5 => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
                0xc6 => checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                _ => throw Bad(b, "bytes"),
            };
            return Take(length);
        }

        /// <summary>Reads a string (fixstr, str8, str16, str32).</summary>
        public string String()
        {
            byte b = Next();
            int length = b switch
            {
                >= 0xa0 and <= 0xbf => b & 0x1f,
                0xd9 => Take(1)[0],
                0xda => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
                0xdb => checked((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                _ => throw Bad(b, "a string"),
            };
            return Encoding.UTF8.GetString(Take(length));
        }

        private byte Next() => Take(1)[0];

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_position + count > _data.Length)
                throw new InvalidDataException($"truncated control message: needed {count} bytes at offset {_position} of {_data.Length}");
            var s = _data.Slice(_position, count);
            _position += count;
            return s;
        }

        private readonly InvalidDataException Bad(byte b, string expected) =>
            new($"malformed control message: expected {expected} at offset {_position - 1}, got 0x{b:x2}");
    }
}
