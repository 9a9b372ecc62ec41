using System.Buffers;
using ActorTrain.Cluster.MessagePack;
using Xunit;

namespace ActorTrain.Cluster.Tests.MessagePack;

/// <summary>Writer behaviour beyond the byte-for-byte cross-check: header-only APIs, chunked outputs, argument errors.</summary>
public sealed class WriterTests
{
    [Fact]
    public void Bin_header_then_raw_bytes_equals_WriteBin_and_reads_back_as_a_slice_of_the_input()
    {
        float[] bucket = Enumerable.Range(0, 100_000).Select(i => i * 0.5f).ToArray();
        ReadOnlySpan<byte> bucketBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(bucket.AsSpan());

        var whole = new ArrayBufferWriter<byte>();
        new MessagePackWriter(whole).WriteBin(bucketBytes);
        var split = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(split);
        writer.WriteBinHeader(bucketBytes.Length);
        writer.WriteRaw(bucketBytes);

        Assert.True(whole.WrittenSpan.SequenceEqual(split.WrittenSpan));
        Assert.Equal(MessagePackCode.Bin32, split.WrittenSpan[0]);
        var reader = new MessagePackReader(split.WrittenSpan);
        ReadOnlySpan<byte> read = reader.ReadBin();
        Assert.True(read.SequenceEqual(bucketBytes));
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(read),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(split.WrittenSpan.Slice(5))), "ReadBin must return a slice of the input, not a copy");
    }

    [Fact]
    public void Writing_into_an_output_that_hands_out_small_segments_gives_the_same_bytes()
    {
        var tree = new MpArr([new MpBin(new byte[10_000]), new MpStr(new string('é', 3000)), new MpExt(7, new byte[300]), new MpInt(-70000)]);
        byte[] expected = tree.Encode();
        var segmented = new SmallSegmentBufferWriter(segmentSize: 16);
        var writer = new MessagePackWriter(segmented);
        tree.Write(ref writer);
        Assert.Equal(expected, segmented.ToArray());
    }

    [Fact]
    public void Writing_scalars_allocates_nothing()
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var writer = new MessagePackWriter(buffer);
        writer.WriteInt64(-5); // JIT and first-call costs out of the measurement
        buffer.ResetWrittenCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            writer.WriteArrayHeader(6);
            writer.WriteInt64(i * 1_000_003L);
            writer.WriteUInt64((ulong)i << 40);
            writer.WriteDouble(i);
            writer.WriteString("path");
            writer.WriteBoolean(true);
            writer.WriteTimestamp(new MessagePackTimestamp(i, 5));
            buffer.ResetWrittenCount();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Strings_with_lone_surrogates_are_refused_rather_than_silently_replaced()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.ThrowsAny<ArgumentException>(() => new MessagePackWriter(buffer).WriteString("bad \ud800 surrogate"));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Null_string_is_written_as_nil_and_read_back_as_null()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteString((string?)null);
        writer.WriteString("x");
        var reader = new MessagePackReader(buffer.WrittenSpan);
        Assert.Null(reader.ReadNullableString());
        Assert.Equal("x", reader.ReadNullableString());
    }

    [Fact]
    public void DateTime_timestamps_round_trip_at_tick_resolution()
    {
        DateTime[] times =
        [
            DateTime.UnixEpoch, new DateTime(2024, 2, 29, 1, 2, 3, DateTimeKind.Utc).AddTicks(4567),
            new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1), DateTime.MinValue, DateTime.MaxValue,
        ];
        foreach (DateTime time in times)
        {
            var buffer = new ArrayBufferWriter<byte>();
            new MessagePackWriter(buffer).WriteTimestamp(time);
            var reader = new MessagePackReader(buffer.WrittenSpan);
            DateTime read = reader.ReadDateTime();
            Assert.Equal(time.Ticks, read.Ticks);
            Assert.Equal(DateTimeKind.Utc, read.Kind);
        }
    }

    [Fact]
    public void Negative_lengths_are_argument_errors()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackWriter(buffer).WriteBinHeader(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackWriter(buffer).WriteArrayHeader(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackTimestamp(0, 1_000_000_000));
    }

    /// <summary>An output that never offers more than it must, like a pipe near the end of its segment.</summary>
    private sealed class SmallSegmentBufferWriter(int segmentSize) : IBufferWriter<byte>
    {
        private readonly List<byte[]> _segments = [];
        private byte[] _current = [];

        public void Advance(int count) => _segments.Add(_current[..count]);

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, segmentSize)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => _segments.SelectMany(s => s).ToArray();
    }
}
