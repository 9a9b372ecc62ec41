using Xunit;
using System.Buffers.Binary;
using System.IO.Pipelines;
using ActorTrain.Cluster.Remoting;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Cluster.Tests.Remoting;

public class FrameReaderTests
{
    private static byte[] Frame(FrameKind kind, byte[] body)
    {
        var bytes = new byte[FrameFormat.HeaderSize + body.Length];
        FrameFormat.WriteHeader(bytes, kind, body.Length);
        body.CopyTo(bytes, FrameFormat.HeaderSize);
        return bytes;
    }

    private static async Task<List<(FrameKind, byte[])>> ReadAllAsync(byte[] wire, int maximum, int chunk)
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader, maximum, "test-peer");
        var feeding = Task.Run(async () =>
        {
            for (int i = 0; i < wire.Length; i += chunk)
            {
                await pipe.Writer.WriteAsync(wire.AsMemory(i, Math.Min(chunk, wire.Length - i)));
            }
            await pipe.Writer.CompleteAsync();
        });
        var frames = new List<(FrameKind, byte[])>();
        while (await reader.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            using (frame) frames.Add((frame.Kind, frame.Body.ToArray()));
        }
        await feeding;
        return frames;
    }

    [Fact]
    public void Frames_survive_any_split_of_the_byte_stream()
    {
        Prop.ForAll(
            Arb.From(Gen.Choose(1, 64)),
            Arb.From(Gen.ListOf(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())).Select(l => l.ToArray())),
            (chunk, bodies) =>
            {
                byte[] wire = bodies.SelectMany(b => Frame(FrameKind.Message, b)).ToArray();
                var frames = ReadAllAsync(wire, 1 << 20, chunk).GetAwaiter().GetResult();
                return frames.Count == bodies.Length
                    && frames.Zip(bodies).All(p => p.First.Item1 == FrameKind.Message && p.First.Item2.AsSpan().SequenceEqual(p.Second));
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task Frame_of_exactly_the_maximum_size_is_read()
    {
        const int max = 4096;
        byte[] body = Enumerable.Range(0, max).Select(i => (byte)i).ToArray();
        var frames = await ReadAllAsync(Frame(FrameKind.Message, body), max, 1000);
        Assert.Single(frames);
        Assert.Equal(body, frames[0].Item2);
    }

    [Fact]
    public async Task Frame_one_byte_over_the_maximum_is_rejected_naming_size_and_limit()
    {
        const int max = 4096;
        var e = await Assert.ThrowsAsync<RemotingProtocolException>(() => ReadAllAsync(Frame(FrameKind.Message, new byte[max + 1]), max, 1000));
        Assert.Contains("4097-byte", e.Message);
        Assert.Contains("maximum frame size of 4096", e.Message);
        Assert.Contains("test-peer", e.Message);
    }

    [Fact]
    public async Task Absurd_length_is_rejected_before_any_allocation()
    {
        var header = new byte[FrameFormat.HeaderSize];
        BinaryPrimitives.WriteUInt32BigEndian(header, uint.MaxValue);
        header[4] = (byte)FrameKind.Message;
        var e = await Assert.ThrowsAsync<RemotingProtocolException>(() => ReadAllAsync(header, FrameFormat.DefaultMaximumFrameSize, 5));
        Assert.Contains("4294967295-byte", e.Message);
    }

    [Fact]
    public async Task Stream_ending_inside_a_body_is_rejected_with_the_received_count()
    {
        byte[] wire = Frame(FrameKind.Message, new byte[100])[..60];
        var e = await Assert.ThrowsAsync<RemotingProtocolException>(() => ReadAllAsync(wire, 1024, 7));
        Assert.Contains("55 of 100 body bytes", e.Message);
    }

    [Fact]
    public async Task Stream_ending_inside_a_header_is_rejected()
    {
        var e = await Assert.ThrowsAsync<RemotingProtocolException>(() => ReadAllAsync([0, 0, 0], 1024, 7));
        Assert.Contains("3 of 5", e.Message);
    }

    [Fact]
    public async Task Unknown_frame_kind_is_rejected_as_garbage()
    {
        byte[] wire = Frame(FrameKind.Message, [1, 2, 3]);
        wire[4] = 0x99;
        var e = await Assert.ThrowsAsync<RemotingProtocolException>(() => ReadAllAsync(wire, 1024, 64));
        Assert.Contains("unknown kind 0x99", e.Message);
    }

    [Fact]
    public async Task Writer_output_is_read_back_including_large_tails_written_directly()
    {
        var stream = new MemoryStream();
        var writer = new FrameWriter(stream, 1 << 22);
        byte[] bigTail = Enumerable.Range(0, 1 << 20).Select(i => (byte)(i * 7)).ToArray();
        await writer.WriteFrameAsync(FrameKind.Message, new byte[] { 1, 2 }, CancellationToken.None);
        await writer.WriteFrameAsync(FrameKind.Message, new byte[] { 9 }, bigTail, CancellationToken.None);
        await writer.WriteFrameAsync(FrameKind.Message, new byte[] { 3 }, new byte[] { 4, 5 }, CancellationToken.None);
        await writer.FlushAsync(CancellationToken.None);

        var frames = await ReadAllAsync(stream.ToArray(), 1 << 22, 8192);
        Assert.Equal(3, frames.Count);
        Assert.Equal(new byte[] { 1, 2 }, frames[0].Item2);
        Assert.Equal(new byte[] { 9 }.Concat(bigTail).ToArray(), frames[1].Item2);
        Assert.Equal(new byte[] { 3, 4, 5 }, frames[2].Item2);
    }

    [Fact]
    public async Task Writer_refuses_a_body_over_the_maximum()
    {
        var writer = new FrameWriter(new MemoryStream(), 1024);
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteFrameAsync(FrameKind.Message, new byte[1000], new byte[25], CancellationToken.None).AsTask());
        Assert.Contains("1025 bytes", e.Message);
    }

    [Fact]
    public void Backoff_doubles_from_min_and_caps_at_max()
    {
        var min = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(1);
        Assert.Equal(new[] { 100, 200, 400, 800, 1000, 1000 },
            Enumerable.Range(1, 6).Select(n => (int)ReconnectBackoff.Delay(n, min, max).TotalMilliseconds));
        Assert.Equal(max, ReconnectBackoff.Delay(int.MaxValue, min, max));
    }
}
