using ActorTrain.Cluster.MessagePack;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>
/// Random, truncated and corrupted input: the reader throws nothing but <see cref="MessagePackFormatException"/> and
/// never allocates according to a length it has not checked against the input.
/// </summary>
public sealed class HostileInputTests
{
    [Fact]
    public void Random_bytes_only_ever_raise_MessagePackFormatException()
    {
        var random = new Random(12345);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            AssertDecodesOrFormatError(bytes);
        }
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_rejected_with_a_format_error()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(60), Prop.ForAll(MpValueGenerators.Tree.ToArbitrary(), value =>
        {
            byte[] bytes = value.Encode();
            // Long values: every prefix near the start and the end, and a sample in between, keeps the test fast.
            IEnumerable<int> cuts = bytes.Length <= 200
                ? Enumerable.Range(0, bytes.Length)
                : Enumerable.Range(0, 80).Concat(Enumerable.Range(bytes.Length - 80, 80)).Concat(Enumerable.Range(0, 40).Select(i => i * bytes.Length / 40));
            foreach (int cut in cuts)
            {
                var e = Assert.Throws<MessagePackFormatException>(() => MpValue.Decode(bytes.AsSpan(0, cut)));
                Assert.InRange(e.Offset, 0, cut);
                var skipper = new MessagePackReader(bytes.AsSpan(0, cut));
                try
                {
                    skipper.Skip();
                    Assert.Fail($"Skip accepted a {cut}-byte truncation of a {bytes.Length}-byte {value}");
                }
                catch (MessagePackFormatException)
                {
                    Assert.Equal(0, skipper.Position); // a failed read leaves the position unchanged
                }
            }
            return true;
        }));
    }

    [Fact]
    public void Corrupted_valid_messages_only_ever_raise_MessagePackFormatException()
    {
        var random = new Random(99);
        Gen<MpValue> trees = MpValueGenerators.Tree;
        foreach (MpValue value in trees.Sample(200, 60))
        {
            byte[] original = value.Encode();
            for (int flip = 0; flip < 20; flip++)
            {
                byte[] corrupted = (byte[])original.Clone();
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
                }
                AssertDecodesOrFormatError(corrupted);
            }
        }
    }

    [Theory]
    [InlineData("c6ffffffff010203", "bin32")] // bin32 claiming 4 GiB with 3 bytes behind it
    [InlineData("dbffffffff41", "str32")]
    [InlineData("c9ffffffff0501", "ext32")]
    [InlineData("ddffffffff01", "array32")] // 4 G elements
    [InlineData("dfffffffff0102", "map32")]
    [InlineData("c5ffff00", "bin16")]
    [InlineData("91dc8000", "array16")]
    public void Lengths_beyond_the_input_fail_at_once_without_allocating(string hex, string format)
    {
        byte[] bytes = Convert.FromHexString(hex);
        MpValue.Decode([0x01]); // warm up the code path so only the hostile read is measured
        Assert.Throws<MessagePackFormatException>(() => MpValue.Decode(bytes));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MessagePackFormatException>(() => MpValue.Decode(bytes));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(format, e.Message);
        Assert.Contains("remain", e.Message);
        Assert.True(allocated < 64 * 1024, $"rejecting {format} allocated {allocated} bytes");
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_rejected_by_reader_and_skip()
    {
        byte[] deep = [.. Enumerable.Repeat((byte)0x91, 65), 0x01]; // 65 nested one-element arrays
        byte[] allowed = [.. Enumerable.Repeat((byte)0x91, 64), 0x01];

        MpValue.Decode(allowed);
        var reader = new MessagePackReader(allowed);
        reader.Skip();
        Assert.True(reader.End);

        var e = Assert.Throws<MessagePackFormatException>(() => MpValue.Decode(deep));
        Assert.Contains("nesting deeper than 64", e.Message);
        Assert.Equal(64, e.Offset);
        var skipError = Assert.Throws<MessagePackFormatException>(() => { var r = new MessagePackReader(deep); r.Skip(); });
        Assert.Equal(64, skipError.Offset);

        var shallow = Assert.Throws<MessagePackFormatException>(() => { var r = new MessagePackReader(allowed, maxDepth: 10); r.Skip(); });
        Assert.Contains("nesting deeper than 10", shallow.Message);
    }

    [Fact]
    public void A_million_nested_arrays_are_rejected_without_stack_overflow()
    {
        byte[] bomb = new byte[1_000_000];
        bomb.AsSpan().Fill(0x91);
        var e = Assert.Throws<MessagePackFormatException>(() => { var r = new MessagePackReader(bomb); r.Skip(); });
        Assert.Contains("nesting", e.Message);
    }

    private static void AssertDecodesOrFormatError(byte[] bytes)
    {
        try
        {
            MpValue.Decode(bytes);
        }
        catch (MessagePackFormatException e)
        {
            Assert.InRange(e.Offset, 0, bytes.Length);
        }
        try
        {
            var reader = new MessagePackReader(bytes);
            while (!reader.End)
            {
                reader.Skip();
            }
        }
        catch (MessagePackFormatException e)
        {
            Assert.InRange(e.Offset, 0, bytes.Length);
        }
    }
}
