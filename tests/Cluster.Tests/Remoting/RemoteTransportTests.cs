using Xunit;
using System.Buffers.Binary;
using System.Net.Sockets;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Tests.Remoting;

public class RemoteTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Messages_arrive_in_send_order_with_the_sender_identity()
    {
        await using var a = new TransportFixture();
        await using var b = new TransportFixture();
        const int count = 20_000;
        for (int i = 0; i < count; i++)
        {
            var body = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(body, i);
            Assert.True(a.Transport.Send(b.Address.Address, new OutboundMessage(body)));
        }
        try { await b.Handler.WaitForCountAsync(count, Wait); }
        catch (TimeoutException e) { throw new TimeoutException(e.Message + "\nA:\n" + a.Logs.Dump() + "\nB:\n" + b.Logs.Dump()); }
        var received = b.Handler.Received;
        Assert.All(received, r => Assert.Equal(a.Address, r.From));
        Assert.Equal(Enumerable.Range(0, count), received.Select(r => BinaryPrimitives.ReadInt32BigEndian(r.Body)));
    }

    [Fact]
    public async Task Matching_secret_authenticates_both_ways()
    {
        await using var a = new TransportFixture(secret: "s3cret");
        await using var b = new TransportFixture(secret: "s3cret");
        a.Transport.Send(b.Address.Address, new OutboundMessage(new byte[] { 42 }));
        await b.Handler.WaitForCountAsync(1, Wait);
        Assert.Equal(new byte[] { 42 }, b.Handler.Received[0].Body);
        Assert.Equal(b.Address, a.Transport.PeerOf(b.Address.Address));
    }

    [Fact]
    public async Task Peer_without_the_secret_is_refused_and_logged_with_its_endpoint()
    {
        await using var server = new TransportFixture(secret: "s3cret");
        await using var client = new TransportFixture();
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 1 }));
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "Refused inbound connection from 127.0.0.1:", "requires a cluster secret"),
            server.Logs.Dump());
        Assert.Equal(0, server.Handler.Count);
    }

    [Fact]
    public async Task Peer_with_a_wrong_secret_is_refused_by_both_sides()
    {
        await using var server = new TransportFixture(secret: "right");
        await using var client = new TransportFixture(secret: "wrong");
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 1 }));
        Assert.True(await client.Logs.WaitForAsync(LogLevel.Warning, Wait, "wrong cluster secret"), client.Logs.Dump());
        await Task.Delay(100);
        Assert.Equal(0, server.Handler.Count);
    }

    [Fact]
    public async Task Client_with_a_secret_refuses_a_server_without_one_and_the_server_logs_why()
    {
        await using var server = new TransportFixture();
        await using var client = new TransportFixture(secret: "s3cret");
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 1 }));
        Assert.True(await client.Logs.WaitForAsync(LogLevel.Warning, Wait, "did not present the cluster secret"), client.Logs.Dump());
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "Refused inbound connection from 127.0.0.1:"), server.Logs.Dump());
        Assert.Equal(0, server.Handler.Count);
    }

    [Fact]
    public async Task Different_system_name_is_refused_with_both_names()
    {
        await using var server = new TransportFixture(system: "alpha");
        await using var client = new TransportFixture(system: "beta");
        client.Transport.Send(Address.Network("alpha", "127.0.0.1", server.Address.Address.Port!.Value), new OutboundMessage(new byte[] { 1 }));
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "'beta'", "'alpha'"), server.Logs.Dump());
        Assert.True(await client.Logs.WaitForAsync(LogLevel.Warning, Wait, "refused the handshake"), client.Logs.Dump());
        Assert.Equal(0, server.Handler.Count);
    }

    [Fact]
    public async Task Other_protocol_version_is_refused_with_a_reject_frame()
    {
        await using var server = new TransportFixture();
        using var socket = await ConnectRawAsync(server);
        var hello = new HandshakeHello(99, "test", 7, "127.0.0.1", 1, new byte[32]);
        await socket.SendAsync(Frame(FrameKind.Hello, HandshakeCodec.EncodeHello(hello, [])));
        byte[] reply = await ReceiveToEndAsync(socket);
        Assert.Equal((byte)FrameKind.Reject, reply[4]);
        Assert.Contains("protocol version 99", HandshakeCodec.DecodeReason(reply.AsSpan(FrameFormat.HeaderSize)));
    }

    [Fact]
    public async Task Silent_connection_is_closed_after_the_handshake_timeout()
    {
        await using var server = new TransportFixture(handshakeTimeout: TimeSpan.FromMilliseconds(300));
        using var socket = await ConnectRawAsync(server);
        byte[] reply = await ReceiveToEndAsync(socket);
        Assert.Empty(reply);
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "did not finish within 0.3 s"), server.Logs.Dump());
    }

    [Fact]
    public async Task Message_of_exactly_the_maximum_frame_size_is_delivered_and_one_byte_more_goes_to_dead_letters()
    {
        const int max = 1 << 20;
        await using var a = new TransportFixture(maximumFrameSize: max);
        await using var b = new TransportFixture(maximumFrameSize: max);
        byte[] tail = new byte[max - 3];
        Random.Shared.NextBytes(tail);
        var atMax = new OutboundMessage(new byte[] { 1, 2, 3 }, tail, trackCompletion: true);
        Assert.True(a.Transport.Send(b.Address.Address, atMax));
        Assert.False(a.Transport.Send(b.Address.Address, new OutboundMessage(new byte[] { 1, 2, 3, 4 }, tail, description: "too big")));
        await b.Handler.WaitForCountAsync(1, Wait);
        Assert.True(await atMax.Completion!);
        Assert.Equal(max, b.Handler.Received[0].Body.Length);
        Assert.Equal(tail, b.Handler.Received[0].Body[3..]);
        var dead = Assert.Single(a.DeadLetters);
        Assert.Equal("too big", dead.Message.Description);
        Assert.Contains("over the maximum frame size", dead.Reason);
    }

    [Fact]
    public async Task A_64_MiB_bucket_fits_the_default_frame_size()
    {
        await using var a = new TransportFixture();
        await using var b = new TransportFixture();
        byte[] bucket = new byte[64 << 20];
        bucket[0] = 1;
        bucket[^1] = 2;
        var message = new OutboundMessage(new byte[] { 7 }, bucket, trackCompletion: true);
        Assert.True(a.Transport.Send(b.Address.Address, message));
        await b.Handler.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        byte[] body = b.Handler.Received[0].Body;
        Assert.Equal(bucket.Length + 1, body.Length);
        Assert.Equal(1, body[1]);
        Assert.Equal(2, body[^1]);
    }

    [Fact]
    public async Task Oversized_inbound_frame_closes_only_that_connection()
    {
        await using var server = new TransportFixture(maximumFrameSize: 4096);
        await using var client = new TransportFixture(maximumFrameSize: 4096);
        using (var raw = await HandshakenRawAsync(server))
        {
            var header = new byte[FrameFormat.HeaderSize];
            FrameFormat.WriteHeader(header, FrameKind.Message, 4097);
            await raw.SendAsync(header);
            Assert.Empty(await ReceiveToEndAsync(raw));
        }
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "4097-byte", "maximum frame size of 4096"), server.Logs.Dump());
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 5 }));
        await server.Handler.WaitForCountAsync(1, Wait);
    }

    [Fact]
    public async Task Handler_rejection_closes_the_connection_and_the_sender_reconnects()
    {
        await using var server = new TransportFixture();
        await using var client = new TransportFixture();
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 1 }));
        await server.Handler.WaitForCountAsync(1, Wait);
        client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 0xFF }));
        Assert.True(await server.Logs.WaitForAsync(LogLevel.Warning, Wait, "malformed marker"), server.Logs.Dump());
        // The next message may race the close; keep sending until one gets through on a new connection.
        var deadline = DateTime.UtcNow + Wait;
        while (server.Handler.Count < 2 && DateTime.UtcNow < deadline)
        {
            client.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 2 }));
            await Task.Delay(50);
        }
        Assert.True(server.Handler.Count >= 2);
    }

    [Fact]
    public async Task Messages_to_an_unreachable_address_go_to_dead_letters_and_flow_once_it_comes_up()
    {
        int port = FreePort();
        await using var client = new TransportFixture(dropAfter: TimeSpan.FromMilliseconds(300));
        var target = Address.Network("test", "127.0.0.1", port);
        for (int i = 0; i < 10; i++) client.Transport.Send(target, new OutboundMessage(new byte[] { (byte)i }, description: i));
        var deadline = DateTime.UtcNow + Wait;
        while (client.DeadLetters.Count < 10 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(10, client.DeadLetters.Count);
        Assert.All(client.DeadLetters, d => Assert.Contains("unreachable", d.Reason));
        Assert.True(client.Logs.Contains(LogLevel.Warning, "Dropped", target.ToString()), client.Logs.Dump());

        await using var server = new TransportFixture(port: port);
        deadline = DateTime.UtcNow + Wait;
        while (server.Handler.Count == 0 && DateTime.UtcNow < deadline)
        {
            client.Transport.Send(target, new OutboundMessage(new byte[] { 99 }));
            await Task.Delay(50);
        }
        Assert.True(server.Handler.Count > 0, client.Logs.Dump());
    }

    [Fact]
    public async Task Full_outbound_queue_sends_the_overflow_to_dead_letters()
    {
        var logs = new CapturingLoggerFactory();
        var dead = new System.Collections.Concurrent.ConcurrentBag<string>();
        var options = new TransportOptions
        {
            SystemName = "test", OutboundQueueCapacity = 10, DropUnreachableAfter = TimeSpan.FromMinutes(1),
            ReconnectBackoffMin = TimeSpan.FromSeconds(1), ReconnectBackoffMax = TimeSpan.FromSeconds(1),
        };
        await using var transport = new RemoteTransport(options, logs, (m, to, reason) => dead.Add(reason));
        transport.Start(new RecordingHandler());
        var target = Address.Network("test", "127.0.0.1", FreePort());
        for (int i = 0; i < 100; i++) transport.Send(target, new OutboundMessage(new byte[] { 1 }));
        Assert.InRange(dead.Count, 89, 90); // the writer loop may have taken one message out of the queue already
        Assert.All(dead, r => Assert.Contains("queue", r));
    }

    internal static byte[] Frame(FrameKind kind, byte[] body)
    {
        var bytes = new byte[FrameFormat.HeaderSize + body.Length];
        FrameFormat.WriteHeader(bytes, kind, body.Length);
        body.CopyTo(bytes, FrameFormat.HeaderSize);
        return bytes;
    }

    internal static async Task<Socket> ConnectRawAsync(TransportFixture server)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", server.Address.Address.Port!.Value);
        return socket;
    }

    /// <summary>A raw socket that completed a real handshake with <paramref name="server"/> (no secret).</summary>
    internal static async Task<Socket> HandshakenRawAsync(TransportFixture server)
    {
        var socket = await ConnectRawAsync(server);
        var stream = new NetworkStream(socket, ownsSocket: false);
        var protocol = new HandshakeProtocol(new UniqueAddress(Address.Network("test", "127.0.0.1", 1), 12345), null);
        var reader = new FrameReader(System.IO.Pipelines.PipeReader.Create(stream), 1 << 20, "server");
        var writer = new FrameWriter(stream, 1 << 20);
        await protocol.RunClientAsync(reader, writer, "server", CancellationToken.None);
        return socket;
    }

    internal static async Task<byte[]> ReceiveToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var all = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n == 0) break;
                all.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (SocketException)
        {
            // Reset by the server counts as closed.
        }
        return all.ToArray();
    }

    internal static int FreePort()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
