using System.Buffers.Binary;
using System.Text;

namespace ActorTrain.Cluster.MessagePack;

/// <summary>The length-prefixed half of the reader: strings, binaries, arrays, maps, extensions and timestamps.</summary>
public ref partial struct MessagePackReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a string (fixstr/str8/16/32), decoding strict UTF-8; invalid UTF-8 is a format error.</summary>
    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> utf8 = ReadStringUtf8();
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            _position = start;
            throw new MessagePackFormatException($"string at offset {start} is not valid UTF-8", start, e);
        }
    }

    /// <summary>Reads a string or nil; nil gives null.</summary>
    public string? ReadNullableString() => TryReadNil() ? null : ReadString();

    /// <summary>Reads a string's raw UTF-8 bytes as a slice of the input (no copy, no validation).</summary>
    public ReadOnlySpan<byte> ReadStringUtf8()
    {
        // The header check already guaranteed that length bytes follow.
        int length = ReadStringHeader();
        ReadOnlySpan<byte> bytes = _buffer.Slice(_position, length);
        _position += length;
        return bytes;
    }

    /// <summary>Reads a string header and returns its byte length, which is guaranteed to be available.</summary>
    public int ReadStringHeader()
    {
        int start = _position;
        byte code = PeekCode("str");
        return code switch
        {
            >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr => CommitLength(start, 1, code & 0x1f, "fixstr", 1),
            MessagePackCode.Str8 => ReadLength(start, 1, "str8", 1),
            MessagePackCode.Str16 => ReadLength(start, 2, "str16", 1),
            MessagePackCode.Str32 => ReadLength(start, 4, "str32", 1),
            _ => throw WrongType("str", start, code),
        };
    }

    /// <summary>Reads a bin8/16/32 and returns its bytes as a slice of the input (no copy).</summary>
    public ReadOnlySpan<byte> ReadBin()
    {
        int length = ReadBinHeader();
        ReadOnlySpan<byte> bytes = _buffer.Slice(_position, length);
        _position += length;
        return bytes;
    }

    /// <summary>
    /// Reads a bin8/16/32 header and returns its length, which is guaranteed to be available; the bytes follow
    /// (take them with <see cref="ReadRaw(int)"/>).
    /// </summary>
    public int ReadBinHeader()
    {
        int start = _position;
        byte code = PeekCode("bin");
        return code switch
        {
            MessagePackCode.Bin8 => ReadLength(start, 1, "bin8", 1),
            MessagePackCode.Bin16 => ReadLength(start, 2, "bin16", 1),
            MessagePackCode.Bin32 => ReadLength(start, 4, "bin32", 1),
            _ => throw WrongType("bin", start, code),
        };
    }

    /// <summary>Takes the next <paramref name="length"/> bytes as they are (e.g. a body after a header).</summary>
    public ReadOnlySpan<byte> ReadRaw(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > Remaining)
        {
            throw new MessagePackFormatException(
                $"truncated MessagePack input at offset {_position}: expected {length} raw byte(s), but only {Remaining} remain", _position);
        }
        ReadOnlySpan<byte> bytes = _buffer.Slice(_position, length);
        _position += length;
        return bytes;
    }

    /// <summary>
    /// Reads an array header and returns the element count. Counts larger than the bytes left are rejected at once
    /// (every element takes at least one byte), so a hostile count cannot make a caller pre-allocate gigabytes.
    /// </summary>
    public int ReadArrayHeader()
    {
        int start = _position;
        byte code = PeekCode("array");
        return code switch
        {
            >= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray => CommitLength(start, 1, code & 0x0f, "fixarray", 1),
            MessagePackCode.Array16 => ReadLength(start, 2, "array16", 1),
            MessagePackCode.Array32 => ReadLength(start, 4, "array32", 1),
            _ => throw WrongType("array", start, code),
        };
    }

    /// <summary>Reads a map header and returns the number of key/value pairs (checked like <see cref="ReadArrayHeader"/>).</summary>
    public int ReadMapHeader()
    {
        int start = _position;
        byte code = PeekCode("map");
        return code switch
        {
            >= MessagePackCode.MinFixMap and <= MessagePackCode.MaxFixMap => CommitLength(start, 1, code & 0x0f, "fixmap", 2),
            MessagePackCode.Map16 => ReadLength(start, 2, "map16", 2),
            MessagePackCode.Map32 => ReadLength(start, 4, "map32", 2),
            _ => throw WrongType("map", start, code),
        };
    }

    /// <summary>Reads an extension header (fixext1/2/4/8/16, ext8/16/32); its data, guaranteed available, follows.</summary>
    public ExtensionHeader ReadExtensionHeader()
    {
        int start = _position;
        byte code = PeekCode("ext");
        (int lengthBytes, int fixedLength, string name) = code switch
        {
            MessagePackCode.FixExt1 => (0, 1, "fixext1"),
            MessagePackCode.FixExt2 => (0, 2, "fixext2"),
            MessagePackCode.FixExt4 => (0, 4, "fixext4"),
            MessagePackCode.FixExt8 => (0, 8, "fixext8"),
            MessagePackCode.FixExt16 => (0, 16, "fixext16"),
            MessagePackCode.Ext8 => (1, 0, "ext8"),
            MessagePackCode.Ext16 => (2, 0, "ext16"),
            MessagePackCode.Ext32 => (4, 0, "ext32"),
            _ => throw WrongType("ext", start, code),
        };
        ReadOnlySpan<byte> header = Payload(start, lengthBytes + 1, name);
        uint length = lengthBytes switch
        {
            0 => (uint)fixedLength,
            1 => header[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(header),
            _ => BinaryPrimitives.ReadUInt32BigEndian(header),
        };
        sbyte typeCode = unchecked((sbyte)header[lengthBytes]);
        int headerSize = 2 + lengthBytes;
        CheckAvailable(start, headerSize, length, name, 1);
        _position = start + headerSize;
        return new ExtensionHeader(typeCode, (int)length);
    }

    /// <summary>Reads an extension value; returns its data as a slice of the input and its type code.</summary>
    public ReadOnlySpan<byte> ReadExtension(out sbyte typeCode)
    {
        ExtensionHeader header = ReadExtensionHeader();
        typeCode = header.TypeCode;
        ReadOnlySpan<byte> data = _buffer.Slice(_position, header.Length);
        _position += header.Length;
        return data;
    }

    /// <summary>Reads a timestamp extension (type −1) in any of its 32-, 64- or 96-bit forms.</summary>
    public MessagePackTimestamp ReadTimestamp()
    {
        int start = _position;
        byte code = PeekCode("timestamp");
        if (MessagePackCode.TypeOf(code) != MessagePackType.Extension)
        {
            throw WrongType("timestamp", start, code);
        }
        ReadOnlySpan<byte> data = ReadExtension(out sbyte typeCode);
        if (typeCode != MessagePackCode.TimestampExtensionType)
        {
            _position = start;
            throw new MessagePackFormatException($"expected timestamp (extension type -1) at offset {start}, found extension type {typeCode}", start);
        }
        switch (data.Length)
        {
            case 4:
                return new MessagePackTimestamp(BinaryPrimitives.ReadUInt32BigEndian(data), 0);
            case 8:
                ulong data64 = BinaryPrimitives.ReadUInt64BigEndian(data);
                return MakeTimestamp((long)(data64 & 0x3_ffff_ffffUL), (uint)(data64 >> 34), start);
            case 12:
                return MakeTimestamp(BinaryPrimitives.ReadInt64BigEndian(data[4..]), BinaryPrimitives.ReadUInt32BigEndian(data), start);
            default:
                _position = start;
                throw new MessagePackFormatException(
                    $"timestamp at offset {start} has {data.Length} data bytes; the specification allows 4, 8 or 12", start);
        }
    }

    /// <summary>Reads a timestamp as a UTC <see cref="DateTime"/> (truncated to 100 ns); out-of-range years are a format error.</summary>
    public DateTime ReadDateTime()
    {
        int start = _position;
        MessagePackTimestamp timestamp = ReadTimestamp();
        try
        {
            return timestamp.ToDateTime();
        }
        catch (ArgumentOutOfRangeException e)
        {
            _position = start;
            throw new MessagePackFormatException($"timestamp {timestamp} at offset {start} lies outside the years DateTime can hold (1-9999)", start, e);
        }
    }

    private MessagePackTimestamp MakeTimestamp(long seconds, uint nanoseconds, int start)
    {
        if (nanoseconds > 999_999_999)
        {
            _position = start;
            throw new MessagePackFormatException(
                $"timestamp at offset {start} has nanoseconds {nanoseconds}; the specification allows at most 999999999", start);
        }
        return new MessagePackTimestamp(seconds, nanoseconds);
    }

    /// <summary>Reads a big-endian length of <paramref name="lengthBytes"/> bytes after the format byte and checks it.</summary>
    private int ReadLength(int start, int lengthBytes, string name, int minBytesPerItem)
    {
        ReadOnlySpan<byte> header = Payload(start, lengthBytes, name);
        uint length = lengthBytes switch
        {
            1 => header[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(header),
            _ => BinaryPrimitives.ReadUInt32BigEndian(header),
        };
        return CommitLength(start, 1 + lengthBytes, length, name, minBytesPerItem);
    }

    private int CommitLength(int start, int headerSize, long length, string name, int minBytesPerItem)
    {
        CheckAvailable(start, headerSize, length, name, minBytesPerItem);
        _position = start + headerSize;
        return (int)length;
    }

    /// <summary>
    /// Rejects a declared length whose content cannot possibly fit in the bytes left after the header: the check that
    /// stops a 4-byte header from claiming gigabytes.
    /// </summary>
    private readonly void CheckAvailable(int start, int headerSize, long length, string name, int minBytesPerItem)
    {
        long available = _buffer.Length - (long)start - headerSize;
        if (length * minBytesPerItem > available)
        {
            string unitText = name switch
            {
                "fixarray" or "array16" or "array32" => $"{length} element(s), which need at least {length} byte(s)",
                "fixmap" or "map16" or "map32" => $"{length} key/value pair(s), which need at least {2 * length} byte(s)",
                _ => $"{length} byte(s)",
            };
            throw new MessagePackFormatException(
                $"{name} at offset {start} declares {unitText}, but only {available} byte(s) remain", start);
        }
    }
}
