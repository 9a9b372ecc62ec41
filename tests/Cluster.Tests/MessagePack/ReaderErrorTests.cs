using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>The reader's errors name the offset, what was expected and what was found.</summary>
public sealed class ReaderErrorTests
{
    [Fact]
    public void Wrong_type_names_expected_type_offset_and_found_format()
    {
        // [1, 2, ..., "abc"] with the string encoded as str8 at offset 12
        byte[] bytes = [0x9c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xd9, 3, (byte)'a', (byte)'b', (byte)'c'];
        var reader = new MessagePackReader(bytes);
        reader.ReadArrayHeader();
        for (int i = 0; i < 11; i++)
        {
            reader.ReadInt32();
        }
        MessagePackFormatException e = Catch(bytes, 12, (ref r) => r.ReadInt64());
        Assert.Equal("expected int at offset 12, found str8", e.Message);
        Assert.Equal(12, e.Offset);
    }

    [Fact]
    public void Truncated_input_is_rejected_with_offset_and_expectation()
    {
        byte[] bytes = [0x92, 0x01, 0xce, 0x00, 0x01];
        MessagePackFormatException e = Catch(bytes, 2, (ref r) => r.ReadUInt32());
        Assert.Equal(2, e.Offset);
        Assert.Equal("truncated MessagePack input at offset 2: uint32 needs 4 byte(s) after its format byte, but only 2 remain", e.Message);

        MessagePackFormatException end = Catch([], 0, (ref r) => r.ReadBoolean());
        Assert.Equal("truncated MessagePack input at offset 0: expected bool, but the input ends there", end.Message);
    }

    [Fact]
    public void Integer_that_does_not_fit_names_value_and_target_type()
    {
        MessagePackFormatException e = Catch([0xcd, 0x01, 0x2c], 0, (ref r) => r.ReadByte());
        Assert.Equal("integer 300 at offset 0 does not fit in Byte", e.Message);
        MessagePackFormatException big = Catch(Convert.FromHexString("cfffffffffffffffff"), 0, (ref r) => r.ReadInt64());
        Assert.Contains("18446744073709551615", big.Message);
        MessagePackFormatException negative = Catch([0xff], 0, (ref r) => r.ReadUInt64());
        Assert.Equal("integer -1 at offset 0 does not fit in UInt64", negative.Message);
    }

    [Fact]
    public void Never_used_format_byte_is_rejected()
    {
        var e = Assert.Throws<MessagePackFormatException>(() => MpValue.Decode([0x92, 0x01, 0xc1]));
        Assert.Contains("0xc1 at offset 2", e.Message);
        Assert.Equal(MessagePackType.Unknown, new MessagePackReader([0xc1]).PeekType());
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_a_format_error()
    {
        MessagePackFormatException e = Catch([0xa2, 0xc3, 0x28], 0, (ref r) => r.ReadString());
        Assert.Equal("string at offset 0 is not valid UTF-8", e.Message);
        var reader = new MessagePackReader([0xa2, 0xc3, 0x28]);
        Assert.Equal(new byte[] { 0xc3, 0x28 }, reader.ReadStringUtf8().ToArray()); // the raw view does not validate
    }

    [Fact]
    public void Malformed_timestamps_are_rejected()
    {
        MessagePackFormatException length = Catch(Convert.FromHexString("d5ff0001"), 0, (ref r) => r.ReadTimestamp());
        Assert.Contains("has 2 data bytes", length.Message);
        // 64-bit form with nanoseconds 1_000_000_000 (> 999_999_999)
        ulong data64 = 1_000_000_000UL << 34;
        byte[] bytes = [0xd7, 0xff, .. BitConverter.GetBytes(data64).Reverse()];
        MessagePackFormatException nanos = Catch(bytes, 0, (ref r) => r.ReadTimestamp());
        Assert.Contains("nanoseconds 1000000000", nanos.Message);
        MessagePackFormatException otherExt = Catch(Convert.FromHexString("d40501"), 0, (ref r) => r.ReadTimestamp());
        Assert.Contains("found extension type 5", otherExt.Message);
        MessagePackFormatException outOfDateTime = Catch(Convert.FromHexString("c70cff00000000ffffffffffffffff".Replace("ffffffffffffffff", "8000000000000000")), 0, (ref r) => r.ReadDateTime());
        Assert.Contains("outside the years DateTime can hold", outOfDateTime.Message);
    }

    [Fact]
    public void Peeking_does_not_consume_and_reports_type_families()
    {
        byte[] bytes = MpValue.Decode(new MpArr([new MpNil(), new MpBool(true), new MpInt(-5), new MpFloat32(1), new MpStr("s"),
            new MpBin([1]), new MpMap([]), new MpExt(3, [1]), new MpTimestamp(new MessagePackTimestamp(1, 0))]).Encode()).Encode();
        var reader = new MessagePackReader(bytes);
        Assert.Equal(MessagePackType.Array, reader.PeekType());
        reader.ReadArrayHeader();
        MessagePackType[] expected = [MessagePackType.Nil, MessagePackType.Boolean, MessagePackType.Integer, MessagePackType.Float,
            MessagePackType.String, MessagePackType.Binary, MessagePackType.Map, MessagePackType.Extension, MessagePackType.Extension];
        foreach (MessagePackType type in expected)
        {
            int position = reader.Position;
            Assert.Equal(type, reader.PeekType());
            Assert.Equal(position, reader.Position);
            reader.Skip();
        }
        Assert.True(reader.End);
    }

    private delegate void Read(ref MessagePackReader reader);

    /// <summary>Positions a reader at <paramref name="offset"/> (by skipping whole values, or into an array) and expects <paramref name="read"/> to fail there.</summary>
    private static MessagePackFormatException Catch(byte[] bytes, int offset, Read read)
    {
        var reader = new MessagePackReader(bytes);
        if (offset > 0)
        {
            reader.ReadArrayHeader();
            while (reader.Position < offset)
            {
                reader.Skip();
            }
        }
        Assert.Equal(offset, reader.Position);
        try
        {
            read(ref reader);
        }
        catch (MessagePackFormatException e)
        {
            Assert.Equal(offset, reader.Position); // a failed read leaves the position where it was
            return e;
        }
        throw new Xunit.Sdk.XunitException($"expected a MessagePackFormatException at offset {offset}");
    }
}
