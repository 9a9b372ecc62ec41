using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using Xunit;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// What goes on a sync stream is plain MessagePack that an independent implementation reads: the bytes a real hello,
/// collective header and data frame put on a socket are decoded by Debian's python3-msgpack (a setup.sh dependency).
/// </summary>
public sealed class PythonFrameCheckTests
{
    private const string Decoder = """
import sys, msgpack, struct
unpacker = msgpack.Unpacker(raw=False)
unpacker.feed(sys.stdin.buffer.read())
items = list(unpacker)
assert len(items) % 2 == 0, "a frame is a header map and a bin"
for header, body in zip(items[0::2], items[1::2]):
    assert isinstance(header, dict) and list(header) == ["n"] and isinstance(body, bytes) and header["n"] == len(body), (header, type(body))
    try:
        inner = msgpack.unpackb(body, raw=False)
    except Exception:
        inner = None
    if isinstance(inner, dict):
        print("map", " ".join(f"{k}={v.hex() if isinstance(v, bytes) else v}" for k, v in inner.items()))
    else:
        print("floats", " ".join(repr(x) for x in struct.unpack("<%df" % (len(body) // 4), body)))
""";

    [Fact]
    public async Task Python_msgpack_decodes_hello_collective_header_and_data_frames_as_sent()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)server.LocalEndpoint);
        using var accepted = await server.AcceptSocketAsync();

        byte[] token = DataLinkToken.Create();
        SocketFrames.Send(client, new LinkHello(token, "job", "ring", 1, LinkHello.DataRole, false, null, 8, 65536).Encode());
        var header = new System.Buffers.ArrayBufferWriter<byte>();
        new CollectiveHeader(CollectiveOp.AllReduce, 7, 3, (long)ReduceOp.Sum).Encode(header);
        using (var channel = new TcpDataChannel(client, 1 << 16))
        {
            channel.Send(header.WrittenSpan);
            channel.Send(MemoryMarshal.AsBytes<float>([1.5f, -2f, 0.25f]));
        }
        var stream = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await accepted.ReceiveAsync(buffer)) > 0) stream.Write(buffer, 0, n);

        var lines = await RunPython(stream.ToArray());
        Assert.Equal(3, lines.Length);
        Assert.Contains($"token={Convert.ToHexString(token).ToLowerInvariant()}", lines[0]);
        Assert.Contains("protocol=actortrain-sync/2", lines[0]);
        Assert.Contains("purpose=ring", lines[0]);
        Assert.Equal("map op=1 seq=7 count=3 arg=0", lines[1]);
        Assert.Equal("floats 1.5 -2.0 0.25", lines[2]);
    }

    private static async Task<string[]> RunPython(byte[] input)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Decoder])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var python = Process.Start(start)!;
        await python.StandardInput.BaseStream.WriteAsync(input);
        python.StandardInput.Close();
        string output = await python.StandardOutput.ReadToEndAsync();
        string errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(python.ExitCode == 0, $"python3-msgpack could not decode the stream: {errors}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
