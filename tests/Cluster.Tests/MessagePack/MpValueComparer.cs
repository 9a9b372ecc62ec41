namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>Structural equality of value trees, floats compared bit for bit (so NaN equals itself and −0 differs from +0).</summary>
internal static class MpValueComparer
{
    public static bool AreEqual(MpValue a, MpValue b) => (a, b) switch
    {
        (MpNil, MpNil) => true,
        (MpBool x, MpBool y) => x.Value == y.Value,
        (MpInt x, MpInt y) => x.Value == y.Value,
        (MpUInt x, MpUInt y) => x.Value == y.Value,
        (MpFloat32 x, MpFloat32 y) => BitConverter.SingleToUInt32Bits(x.Value) == BitConverter.SingleToUInt32Bits(y.Value),
        (MpFloat64 x, MpFloat64 y) => BitConverter.DoubleToUInt64Bits(x.Value) == BitConverter.DoubleToUInt64Bits(y.Value),
        (MpStr x, MpStr y) => x.Value == y.Value,
        (MpBin x, MpBin y) => x.Value.AsSpan().SequenceEqual(y.Value),
        (MpExt x, MpExt y) => x.TypeCode == y.TypeCode && x.Data.AsSpan().SequenceEqual(y.Data),
        (MpTimestamp x, MpTimestamp y) => x.Value == y.Value,
        (MpArr x, MpArr y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => AreEqual(p.First, p.Second)),
        (MpMap x, MpMap y) => x.Pairs.Count == y.Pairs.Count
            && x.Pairs.Zip(y.Pairs).All(p => AreEqual(p.First.Key, p.Second.Key) && AreEqual(p.First.Value, p.Second.Value)),
        _ => false,
    };
}
