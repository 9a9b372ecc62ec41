using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Binary bodies of the handshake frames. Integers are little-endian, strings are a u16 byte count plus UTF-8,
/// byte strings a u8 count plus bytes. Decoding checks every length against what is left and throws
/// <see cref="RemotingProtocolException"/> on any inconsistency.
/// </summary>
internal static class HandshakeCodec
{
    private const int MaxStringBytes = 1024;

    public static byte[] EncodeHello(HandshakeHello hello, ReadOnlySpan<byte> proof)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        WriteInt32(buffer, hello.ProtocolVersion);
        WriteString(buffer, hello.SystemName);
        WriteInt64(buffer, hello.Uid);
        WriteString(buffer, hello.Host);
        WriteInt32(buffer, hello.Port);
        WriteBytes(buffer, hello.Nonce);
        WriteBytes(buffer, proof);
        return buffer.WrittenSpan.ToArray();
    }

    public static (HandshakeHello Hello, byte[] Proof) DecodeHello(ReadOnlySpan<byte> body, string peer)
    {
        var reader = new Cursor(body, peer);
        int version = reader.Int32();
        string system = reader.String();
        long uid = reader.Int64();
        string host = reader.String();
        int port = reader.Int32();
        byte[] nonce = reader.Bytes();
        byte[] proof = reader.Bytes();
        reader.End();
        if (port is < 0 or > 65535) throw new RemotingProtocolException($"handshake from {peer} announced port {port}, outside 0..65535");
        return (new HandshakeHello(version, system, uid, host, port, nonce), proof);
    }

    public static byte[] EncodeProof(ReadOnlySpan<byte> proof)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteBytes(buffer, proof);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] DecodeProof(ReadOnlySpan<byte> body, string peer)
    {
        var reader = new Cursor(body, peer);
        byte[] proof = reader.Bytes();
        reader.End();
        return proof;
    }

    public static byte[] EncodeReason(string reason)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(reason);
        return bytes.Length <= 4096 ? bytes : bytes[..4096];
    }

    public static string DecodeReason(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, 4096)]);

    private static void WriteInt32(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> buffer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        if (count > MaxStringBytes) throw new ArgumentException($"handshake string '{value[..32]}…' is longer than {MaxStringBytes} bytes");
        BinaryPrimitives.WriteUInt16LittleEndian(buffer.GetSpan(2), (ushort)count);
        buffer.Advance(2);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(count)));
    }

    private static void WriteBytes(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> value)
    {
        if (value.Length > byte.MaxValue) throw new ArgumentException("handshake byte string longer than 255 bytes");
        buffer.GetSpan(1)[0] = (byte)value.Length;
        buffer.Advance(1);
        buffer.Write(value);
    }

    private ref struct Cursor(ReadOnlySpan<byte> body, string peer)
    {
        private ReadOnlySpan<byte> _rest = body;

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string String()
        {
            int count = BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
            if (count > MaxStringBytes) throw new RemotingProtocolException($"handshake from {peer} holds a {count}-byte string, over {MaxStringBytes}");
            try
            {
                return new UTF8Encoding(false, true).GetString(Take(count));
            }
            catch (DecoderFallbackException e)
            {
                throw new RemotingProtocolException($"handshake from {peer} holds a string that is not UTF-8", e);
            }
        }

        public byte[] Bytes() => Take(Take(1)[0]).ToArray();

        public void End()
        {
            if (!_rest.IsEmpty) throw new RemotingProtocolException($"handshake frame from {peer} has {_rest.Length} unexpected trailing bytes");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_rest.Length < count)
                throw new RemotingProtocolException($"handshake frame from {peer} is truncated (needed {count} more bytes, {_rest.Length} left)");
            ReadOnlySpan<byte> taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
