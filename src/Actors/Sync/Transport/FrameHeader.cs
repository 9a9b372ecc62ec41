using System.Buffers;
using MessagePack;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The header of every frame on a sync stream (TCP data channels and control connections): a one-entry MessagePack
/// map <c>{"n": int32 payload length}</c> written with fixed-width codes, then the MessagePack bin header of the
/// payload, both written with MessagePack-CSharp's <see cref="T:MessagePack.MessagePackWriter"/>; the payload bytes follow straight
/// from the caller's memory (a bucket, for data). The map comes first and has a fixed size
/// (<see cref="PrefixBytes"/>), so a reader learns the length, and can refuse it, before it reserves anything; the bin
/// header is checked against what the writer produces for that length. One instance per thread that uses it.
/// </summary>
internal sealed class FrameHeader
{
    /// <summary>Bytes of the map part: fixmap(1), fixstr "n", int32 (0xd2 + 4 bytes).</summary>
    public const int PrefixBytes = 1 + 2 + 5;

    /// <summary>Largest header: the map and a bin32 header.</summary>
    public const int MaxBytes = PrefixBytes + 5;

    private static ReadOnlySpan<byte> LengthKey => "n"u8;

    private readonly FixedBufferWriter _buffer = new(MaxBytes);
    private readonly byte[] _prefix = new byte[PrefixBytes];

    /// <summary>Header bytes for a payload of <paramref name="payloadLength"/> bytes (the same smallest bin header MessagePack picks).</summary>
    public static int SizeFor(int payloadLength) => PrefixBytes + payloadLength switch
    {
        <= byte.MaxValue => 2,
        <= ushort.MaxValue => 3,
        _ => 5,
    };

    /// <summary>Encodes the header of a <paramref name="payloadLength"/>-byte frame; valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        _buffer.Reset();
        var writer = new MessagePackWriter(_buffer);
        writer.WriteMapHeader(1);
        writer.WriteString(LengthKey);
        writer.WriteInt32(payloadLength);
        writer.WriteBinHeader(payloadLength);
        writer.Flush();
        return _buffer.Written;
    }

    /// <summary>
    /// Reads the payload length from the first <see cref="PrefixBytes"/> bytes of a header, with
    /// <see cref="T:MessagePack.MessagePackReader"/>. Throws <see cref="InvalidDataException"/> when they are not this header.
    /// </summary>
    public int ReadLength(ReadOnlySpan<byte> prefix)
    {
        prefix[..PrefixBytes].CopyTo(_prefix);
        try
        {
            var reader = new MessagePackReader(_prefix);
            if (reader.NextMessagePackType != MessagePackType.Map || reader.ReadMapHeader() != 1
                || !reader.TryReadStringSpan(out var key) || !key.SequenceEqual(LengthKey) || reader.NextCode != MessagePackCode.Int32)
                throw Malformed(prefix);
            int length = reader.ReadInt32();
            if (length < 0) throw new InvalidDataException($"frame header announces a negative length {length}");
            return length;
        }
        catch (MessagePackSerializationException ex)
        {
            throw new InvalidDataException($"{Malformed(prefix).Message} ({ex.Message})", ex);
        }
    }

    /// <summary>Throws unless <paramref name="header"/> is exactly the header this writer produces for <paramref name="payloadLength"/>.</summary>
    public void CheckComplete(ReadOnlySpan<byte> header, int payloadLength)
    {
        if (!header.SequenceEqual(Encode(payloadLength))) throw Malformed(header);
    }

    private static InvalidDataException Malformed(ReadOnlySpan<byte> bytes) =>
        new($"expected a sync frame header (MessagePack map {{\"n\": length}} and bin header), got {Convert.ToHexString(bytes[..Math.Min(bytes.Length, MaxBytes)])}; the peer speaks another protocol or the stream is out of step");
}

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one small reusable array, for MessagePackWriter to write headers into.
/// <see cref="M:MessagePack.MessagePackWriter.WriteBinHeader(System.Int32)"/> asks for room for the header and the payload (a hint, so a caller
/// that copies the payload in needs one buffer); the payload here goes straight from bucket memory to the socket, so
/// this writer hands out the header room it has, and a header that does not fit fails loudly in
/// <see cref="Advance"/> (MessagePack-CSharp 2.5 writes into what it is given, checking nothing against the hint).
/// </summary>
internal sealed class FixedBufferWriter(int capacity) : IBufferWriter<byte>
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _written;

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    /// <summary>Forgets what was written.</summary>
    public void Reset() => _written = 0;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
            throw new InvalidOperationException($"a {_buffer.Length}-byte header buffer cannot take {count} more bytes after {_written}");
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_written);
}
