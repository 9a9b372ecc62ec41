using ActorTrain.Cluster.MessagePack;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>FsCheck generators for MessagePack value trees, biased towards the encoding boundaries.</summary>
internal static class MpValueGenerators
{
    /// <summary>Signed integers spread over every bit width, with the exact boundaries over-represented.</summary>
    public static Gen<long> Int64 { get; } =
        Gen.Frequency(
            (1, Gen.Elements(0L, 127L, 128L, 255L, 256L, 65535L, 65536L, uint.MaxValue, 1L + uint.MaxValue, long.MaxValue,
                -1L, -32L, -33L, -128L, -129L, -32768L, -32769L, int.MinValue, int.MinValue - 1L, long.MinValue)),
            (3, from bits in Gen.Choose(0, 63)
                from high in Gen.Choose(int.MinValue, int.MaxValue)
                from low in Gen.Choose(int.MinValue, int.MaxValue)
                from negative in Gen.Elements(false, true)
                let raw = ((ulong)(uint)high << 32) | (uint)low
                let magnitude = bits == 0 ? 0L : (long)(raw >> (64 - bits))
                select negative ? -magnitude - 1 : magnitude));

    public static Gen<ulong> UInt64 { get; } =
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)high << 32) | (uint)low;

    private static Gen<byte[]> Bytes(int maxLength) =>
        from length in Gen.Frequency((4, Gen.Choose(0, 40)), (1, Gen.Elements(31, 32, 255, 256, Math.Min(maxLength, 65536))))
        from seed in Gen.Choose(0, int.MaxValue)
        select RandomBytes(seed, Math.Min(length, maxLength));

    private static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Gen<string> Text { get; } =
        from chars in Gen.ArrayOf(Gen.Frequency(
            (4, Gen.Choose(0x20, 0x7e)),
            (1, Gen.Choose(0x80, 0x7ff)),
            (1, Gen.Choose(0x800, 0xd7ff)),
            (1, Gen.Choose(0x10000, 0x10ffff))))
        from repeat in Gen.Frequency((6, Gen.Constant(1)), (1, Gen.Elements(40, 300)))
        select string.Concat(Enumerable.Repeat(string.Concat(chars.Select(char.ConvertFromUtf32)), repeat));

    private static Gen<MpValue> Scalar { get; } = Gen.OneOf(
        Gen.Constant<MpValue>(new MpNil()),
        Gen.Elements(true, false).Select(b => (MpValue)new MpBool(b)),
        Int64.Select(v => (MpValue)new MpInt(v)),
        UInt64.Select(v => v > long.MaxValue ? (MpValue)new MpUInt(v) : new MpInt((long)v)),
        UInt64.Select(bits => (MpValue)new MpFloat64(BitConverter.UInt64BitsToDouble(bits))),
        Gen.Choose(int.MinValue, int.MaxValue).Select(bits => (MpValue)new MpFloat32(BitConverter.Int32BitsToSingle(bits))),
        Text.Select(s => (MpValue)new MpStr(s)),
        Bytes(70_000).Select(b => (MpValue)new MpBin(b)),
        from code in Gen.Choose(sbyte.MinValue, sbyte.MaxValue).Where(c => c != -1)
        from data in Bytes(300)
        select (MpValue)new MpExt((sbyte)code, data),
        from seconds in Int64
        from nanoseconds in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(0, 999_999_999)))
        select (MpValue)new MpTimestamp(new MessagePackTimestamp(seconds, (uint)nanoseconds)));

    /// <summary>Random trees of every value type, nested up to a few levels.</summary>
    public static Gen<MpValue> Tree { get; } = Gen.Sized(size => TreeOfDepth(Math.Min(4, size / 10 + 1)));

    private static Gen<MpValue> TreeOfDepth(int depth)
    {
        if (depth <= 0)
        {
            return Scalar;
        }
        Gen<MpValue> child = TreeOfDepth(depth - 1);
        Gen<int> count = Gen.Frequency((6, Gen.Choose(0, 5)), (1, Gen.Elements(15, 16, 17)));
        return Gen.Frequency(
            (3, Scalar),
            (1, from n in count from items in Gen.ArrayOf(child, n) select (MpValue)new MpArr(items)),
            (1, from n in count from keys in Gen.ArrayOf(Scalar, n) from values in Gen.ArrayOf(child, n)
                select (MpValue)new MpMap(keys.Zip(values).ToList())));
    }
}
