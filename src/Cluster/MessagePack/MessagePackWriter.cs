using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorTrain.Cluster.MessagePack;

/// <summary>
/// Writes MessagePack straight into an <see cref="IBufferWriter{T}"/> (a PipeWriter, an ArrayBufferWriter, ...),
/// always choosing the smallest encoding the specification allows, the same choice the reference implementations
/// make: non-negative integers use positive fixint/uint8/16/32/64 whatever their .NET type, negative ones the
/// smallest of negative fixint/int8/16/32/64; strings, binaries, arrays, maps and extensions the shortest header.
/// </summary>
/// <remarks>
/// Allocation-free. Every call asks the output for space and commits what it wrote before returning, so nothing is
/// buffered inside the writer: there is no Flush, and copying the struct is harmless.
/// Large payloads (gradient buckets) can skip the intermediate copy: write <see cref="WriteBinHeader"/> and then send
/// the bucket's memory yourself (or with <see cref="WriteRaw"/>) right behind it.
/// </remarks>
public readonly ref struct MessagePackWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    public MessagePackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>The buffer this writer appends to.</summary>
    public IBufferWriter<byte> Output => _output;

    /// <summary>Writes nil (0xc0).</summary>
    public void WriteNil() => WriteByte(MessagePackCode.Nil);

    /// <summary>Writes true (0xc3) or false (0xc2).</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? MessagePackCode.True : MessagePackCode.False);

    /// <summary>Writes a signed integer in its smallest encoding (non-negative values use the unsigned forms).</summary>
    public void WriteInt64(long value)
    {
        if (value >= 0)
        {
            WriteUInt64((ulong)value);
            return;
        }
        Span<byte> span = _output.GetSpan(9);
        int written;
        if (value >= -32)
        {
            span[0] = unchecked((byte)value);
            written = 1;
        }
        else if (value >= sbyte.MinValue)
        {
            span[0] = MessagePackCode.Int8;
            span[1] = unchecked((byte)value);
            written = 2;
        }
        else if (value >= short.MinValue)
        {
            span[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(span[1..], (short)value);
            written = 3;
        }
        else if (value >= int.MinValue)
        {
            span[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(span[1..], (int)value);
            written = 5;
        }
        else
        {
            span[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(span[1..], value);
            written = 9;
        }
        _output.Advance(written);
    }

    /// <summary>Writes a signed integer in its smallest encoding.</summary>
    public void WriteInt32(int value) => WriteInt64(value);

    /// <summary>Writes an unsigned integer in its smallest encoding (positive fixint, uint8/16/32/64).</summary>
    public void WriteUInt64(ulong value)
    {
        Span<byte> span = _output.GetSpan(9);
        int written;
        if (value <= MessagePackCode.MaxPositiveFixInt)
        {
            span[0] = (byte)value;
            written = 1;
        }
        else if (value <= byte.MaxValue)
        {
            span[0] = MessagePackCode.UInt8;
            span[1] = (byte)value;
            written = 2;
        }
        else if (value <= ushort.MaxValue)
        {
            span[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value);
            written = 3;
        }
        else if (value <= uint.MaxValue)
        {
            span[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)value);
            written = 5;
        }
        else
        {
            span[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
            written = 9;
        }
        _output.Advance(written);
    }

    /// <summary>Writes an unsigned integer in its smallest encoding.</summary>
    public void WriteUInt32(uint value) => WriteUInt64(value);

    /// <summary>Writes a float32 (0xca); floats are never narrowed or widened.</summary>
    public void WriteSingle(float value)
    {
        Span<byte> span = _output.GetSpan(5);
        span[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(span[1..], value);
        _output.Advance(5);
    }

    /// <summary>Writes a float64 (0xcb).</summary>
    public void WriteDouble(double value)
    {
        Span<byte> span = _output.GetSpan(9);
        span[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    /// <summary>Writes a string as UTF-8 (fixstr/str8/16/32), or nil when <paramref name="value"/> is null.</summary>
    /// <exception cref="ArgumentException">The string holds a lone surrogate, which has no UTF-8 encoding.</exception>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }
        WriteString(value.AsSpan());
    }

    /// <summary>Writes UTF-16 text as a UTF-8 string, encoding it directly into the output.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate, which has no UTF-8 encoding.</exception>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int byteCount = StrictUtf8.GetByteCount(value);
        WriteStringHeader(byteCount);
        if (byteCount == 0)
        {
            return;
        }
        Span<byte> span = _output.GetSpan(byteCount);
        StrictUtf8.GetBytes(value, span);
        _output.Advance(byteCount);
    }

    /// <summary>Writes already-encoded UTF-8 bytes as a string (the caller vouches that they are valid UTF-8).</summary>
    public void WriteStringUtf8(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes only the header of a string of <paramref name="byteLength"/> UTF-8 bytes; the bytes must follow.</summary>
    public void WriteStringHeader(int byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        if (byteLength <= 31)
        {
            WriteByte((byte)(MessagePackCode.MinFixStr | byteLength));
        }
        else
        {
            WriteLengthHeader(MessagePackCode.Str8, MessagePackCode.Str16, MessagePackCode.Str32, (uint)byteLength);
        }
    }

    /// <summary>Writes a byte array as bin8/16/32 (header, then the bytes copied into the output).</summary>
    public void WriteBin(ReadOnlySpan<byte> value)
    {
        WriteBinHeader(value.Length);
        WriteRaw(value);
    }

    /// <summary>
    /// Writes only the bin8/16/32 header for <paramref name="length"/> bytes. The caller then writes exactly that many
    /// bytes: with <see cref="WriteRaw"/>, or by sending them from their own memory right after the header.
    /// </summary>
    public void WriteBinHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        WriteLengthHeader(MessagePackCode.Bin8, MessagePackCode.Bin16, MessagePackCode.Bin32, (uint)length);
    }

    /// <summary>Writes an array header (fixarray/array16/32); <paramref name="count"/> values must follow.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixArray | count));
        }
        else
        {
            WriteLengthHeader(0, MessagePackCode.Array16, MessagePackCode.Array32, (uint)count);
        }
    }

    /// <summary>Writes a map header (fixmap/map16/32); <paramref name="count"/> key/value pairs must follow.</summary>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count <= 15)
        {
            WriteByte((byte)(MessagePackCode.MinFixMap | count));
        }
        else
        {
            WriteLengthHeader(0, MessagePackCode.Map16, MessagePackCode.Map32, (uint)count);
        }
    }

    /// <summary>
    /// Writes an extension header: fixext1/2/4/8/16 when <paramref name="length"/> is 1, 2, 4, 8 or 16, else
    /// ext8/16/32. Exactly <paramref name="length"/> data bytes must follow.
    /// </summary>
    public void WriteExtensionHeader(sbyte typeCode, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte fixCode = length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => 0,
        };
        if (fixCode != 0)
        {
            Span<byte> span = _output.GetSpan(2);
            span[0] = fixCode;
            span[1] = unchecked((byte)typeCode);
            _output.Advance(2);
            return;
        }
        WriteLengthHeader(MessagePackCode.Ext8, MessagePackCode.Ext16, MessagePackCode.Ext32, (uint)length);
        WriteByte(unchecked((byte)typeCode));
    }

    /// <summary>Writes an extension value: header plus <paramref name="data"/>.</summary>
    public void WriteExtension(sbyte typeCode, ReadOnlySpan<byte> data)
    {
        WriteExtensionHeader(typeCode, data.Length);
        WriteRaw(data);
    }

    /// <summary>
    /// Writes a timestamp (extension −1) in the smallest of its three forms: 32-bit when the nanoseconds are zero and
    /// the seconds fit in an unsigned 32-bit integer, 64-bit when the seconds fit in 34 unsigned bits, else 96-bit.
    /// </summary>
    public void WriteTimestamp(MessagePackTimestamp value)
    {
        long seconds = value.Seconds;
        uint nanoseconds = value.Nanoseconds;
        if ((seconds >> 34) == 0)
        {
            ulong data64 = ((ulong)nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xffffffff00000000UL) == 0)
            {
                Span<byte> span = _output.GetSpan(6);
                span[0] = MessagePackCode.FixExt4;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)data64);
                _output.Advance(6);
            }
            else
            {
                Span<byte> span = _output.GetSpan(10);
                span[0] = MessagePackCode.FixExt8;
                span[1] = unchecked((byte)MessagePackCode.TimestampExtensionType);
                BinaryPrimitives.WriteUInt64BigEndian(span[2..], data64);
                _output.Advance(10);
            }
        }
        else
        {
            Span<byte> span = _output.GetSpan(15);
            span[0] = MessagePackCode.Ext8;
            span[1] = 12;
            span[2] = unchecked((byte)MessagePackCode.TimestampExtensionType);
            BinaryPrimitives.WriteUInt32BigEndian(span[3..], nanoseconds);
            BinaryPrimitives.WriteInt64BigEndian(span[7..], seconds);
            _output.Advance(15);
        }
    }

    /// <summary>Writes a <see cref="DateTime"/> as a timestamp (local times are converted to UTC).</summary>
    public void WriteTimestamp(DateTime value) => WriteTimestamp(MessagePackTimestamp.FromDateTime(value));

    /// <summary>
    /// Copies bytes to the output unchanged: already-encoded MessagePack, or the body after a
    /// <see cref="WriteBinHeader"/>/<see cref="WriteStringHeader"/>/<see cref="WriteExtensionHeader"/>.
    /// Large inputs are copied in the chunks the output offers, so the output never has to allocate one huge block.
    /// </summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Span<byte> span = _output.GetSpan(Math.Min(bytes.Length, 4096));
            int chunk = Math.Min(span.Length, bytes.Length);
            bytes[..chunk].CopyTo(span);
            _output.Advance(chunk);
            bytes = bytes[chunk..];
        }
    }

    private void WriteByte(byte value)
    {
        Span<byte> span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
    }

    /// <summary>Writes the 8-, 16- or 32-bit length form; <paramref name="code8"/> = 0 means the family has no 8-bit form.</summary>
    private void WriteLengthHeader(byte code8, byte code16, byte code32, uint length)
    {
        Span<byte> span = _output.GetSpan(5);
        int written;
        if (code8 != 0 && length <= byte.MaxValue)
        {
            span[0] = code8;
            span[1] = (byte)length;
            written = 2;
        }
        else if (length <= ushort.MaxValue)
        {
            span[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)length);
            written = 3;
        }
        else
        {
            span[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], length);
            written = 5;
        }
        _output.Advance(written);
    }
}
