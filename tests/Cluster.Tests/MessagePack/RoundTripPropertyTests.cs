using System.Buffers;
using ActorTrain.Cluster.MessagePack;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>Property tests: what our writer writes, our reader reads back exactly.</summary>
public sealed class RoundTripPropertyTests
{
    private static readonly Config Config = FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300);

    [Fact]
    public void Random_trees_round_trip_through_writer_and_reader()
    {
        Check.One(Config, Prop.ForAll(MpValueGenerators.Tree.ToArbitrary(), value =>
        {
            byte[] bytes = value.Encode();
            MpValue decoded = MpValue.Decode(bytes);
            return MpValueComparer.AreEqual(value, decoded) && decoded.Encode().AsSpan().SequenceEqual(bytes);
        }));
    }

    [Fact]
    public void Skip_and_ReadRawValue_consume_exactly_one_value()
    {
        Check.One(Config, Prop.ForAll(MpValueGenerators.Tree.ToArbitrary(), value =>
        {
            byte[] one = value.Encode();
            byte[] twice = [.. one, .. one];
            var reader = new MessagePackReader(twice);
            reader.Skip();
            bool skippedOne = reader.Position == one.Length;
            bool rawIsSecond = reader.ReadRawValue().SequenceEqual(one);
            return skippedOne && rawIsSecond && reader.End;
        }));
    }

    [Fact]
    public void Signed_integers_take_the_smallest_encoding_and_read_back()
    {
        Check.One(Config.WithMaxTest(2000), Prop.ForAll(MpValueGenerators.Int64.ToArbitrary(), value =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteInt64(value);
            var reader = new MessagePackReader(buffer.WrittenSpan);
            return reader.ReadInt64() == value && reader.End && buffer.WrittenCount == SmallestIntSize(value);
        }));
    }

    [Fact]
    public void Unsigned_integers_take_the_smallest_encoding_and_read_back()
    {
        Check.One(Config.WithMaxTest(2000), Prop.ForAll(MpValueGenerators.UInt64.ToArbitrary(), value =>
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteUInt64(value >> (int)(value % 64));
            var reader = new MessagePackReader(buffer.WrittenSpan);
            ulong expected = value >> (int)(value % 64);
            int size = expected <= 127 ? 1 : expected <= byte.MaxValue ? 2 : expected <= ushort.MaxValue ? 3 : expected <= uint.MaxValue ? 5 : 9;
            return reader.ReadUInt64() == expected && reader.End && buffer.WrittenCount == size;
        }));
    }

    [Fact]
    public void Narrow_integer_reads_accept_exactly_the_values_that_fit()
    {
        Check.One(Config.WithMaxTest(1000), Prop.ForAll(MpValueGenerators.Int64.ToArbitrary(), value =>
        {
            byte[] bytes = new MpInt(value).Encode();
            return Fits(bytes, r => r.ReadInt32(), value is >= int.MinValue and <= int.MaxValue)
                && Fits(bytes, r => r.ReadInt16(), value is >= short.MinValue and <= short.MaxValue)
                && Fits(bytes, r => r.ReadSByte(), value is >= sbyte.MinValue and <= sbyte.MaxValue)
                && Fits(bytes, r => r.ReadByte(), value is >= 0 and <= byte.MaxValue)
                && Fits(bytes, r => r.ReadUInt16(), value is >= 0 and <= ushort.MaxValue)
                && Fits(bytes, r => r.ReadUInt32(), value is >= 0 and <= uint.MaxValue)
                && Fits(bytes, r => (long)r.ReadUInt64(), value >= 0);
        }));
    }

    private static bool Fits(byte[] bytes, Func<MessagePackReaderBox, long> read, bool shouldFit)
    {
        var box = new MessagePackReaderBox(bytes);
        try
        {
            read(box);
            return shouldFit;
        }
        catch (MessagePackFormatException e)
        {
            return !shouldFit && e.Message.Contains("does not fit");
        }
    }

    private static int SmallestIntSize(long v) => v switch
    {
        >= -32 and <= 127 => 1,
        >= sbyte.MinValue and <= byte.MaxValue => 2,
        >= short.MinValue and <= ushort.MaxValue => 3,
        >= int.MinValue and <= uint.MaxValue => 5,
        _ => 9,
    };
}

/// <summary>Lets a lambda run one typed read on a fresh reader (ref structs cannot be captured).</summary>
internal sealed class MessagePackReaderBox(byte[] bytes)
{
    public long ReadInt32() { var r = new MessagePackReader(bytes); return r.ReadInt32(); }
    public long ReadInt16() { var r = new MessagePackReader(bytes); return r.ReadInt16(); }
    public long ReadSByte() { var r = new MessagePackReader(bytes); return r.ReadSByte(); }
    public long ReadByte() { var r = new MessagePackReader(bytes); return r.ReadByte(); }
    public long ReadUInt16() { var r = new MessagePackReader(bytes); return r.ReadUInt16(); }
    public long ReadUInt32() { var r = new MessagePackReader(bytes); return r.ReadUInt32(); }
    public ulong ReadUInt64() { var r = new MessagePackReader(bytes); return r.ReadUInt64(); }
}
