using System.Buffers.Binary;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Wire layout of a frame: a 4-byte big-endian body length, one <see cref="FrameKind"/> byte, then the body.
/// The length counts the body only, so an empty body is legal for kinds that carry none.
/// </summary>
public static class FrameFormat
{
    /// <summary>Bytes before the body: length (4) and kind (1).</summary>
    public const int HeaderSize = 5;

    /// <summary>Default maximum body size: 128 MiB, room for a 64 MiB gradient bucket plus envelope.</summary>
    public const int DefaultMaximumFrameSize = 128 * 1024 * 1024;

    /// <summary>Writes a frame header into <paramref name="destination"/> (at least <see cref="HeaderSize"/> bytes).</summary>
    public static void WriteHeader(Span<byte> destination, FrameKind kind, int bodyLength)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, bodyLength);
        destination[4] = (byte)kind;
    }

    /// <summary>True when <paramref name="value"/> is a kind this protocol version knows.</summary>
    public static bool IsKnownKind(byte value) =>
        value is (byte)FrameKind.Hello or (byte)FrameKind.Challenge or (byte)FrameKind.Proof
            or (byte)FrameKind.Accepted or (byte)FrameKind.Reject or (byte)FrameKind.Message;
}
