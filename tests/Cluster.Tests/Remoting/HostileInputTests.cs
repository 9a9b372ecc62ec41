using System.Buffers.Binary;
using System.Net.Sockets;
using ActorTrain.Cluster.Remoting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorTrain.Cluster.Tests.Remoting;

public class HostileInputTests
{
    /// <summary>The kinds of abuse fired at the listener; each input uses a fresh connection.</summary>
    private enum Abuse { RandomBytes, TruncatedHello, AbsurdLength, GarbageAfterHandshake, TruncatedAfterHandshake, RejectedByHandler }

    [Fact]
    public async Task Thousands_of_hostile_inputs_leave_the_listener_serving_its_peers()
    {
        await using var server = new TransportFixture(maximumFrameSize: 1 << 20, handshakeTimeout: TimeSpan.FromSeconds(2));
        await using var peer = new TransportFixture(maximumFrameSize: 1 << 20);
        const int inputs = 2000;
        var random = new Random(1234);
        var plan = Enumerable.Range(0, inputs).Select(_ => ((Abuse)random.Next(6), random.Next())).ToArray();

        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) =>
        {
            using Socket socket = item.Item1 is Abuse.GarbageAfterHandshake or Abuse.TruncatedAfterHandshake or Abuse.RejectedByHandler
                ? await RemoteTransportTests.HandshakenRawAsync(server)
                : await RemoteTransportTests.ConnectRawAsync(server);
            try
            {
                await socket.SendAsync(HostileBytes(item.Item1, new Random(item.Item2)));
                socket.Shutdown(SocketShutdown.Send);
                await RemoteTransportTests.ReceiveToEndAsync(socket);
            }
            catch (SocketException)
            {
                // The server may reset the connection before we finish sending; that is the point.
            }
        });

        peer.Transport.Send(server.Address.Address, new OutboundMessage(new byte[] { 1, 2, 3 }));
        server.Transport.Send(peer.Address.Address, new OutboundMessage(new byte[] { 4, 5, 6 }));
        await server.Handler.WaitForCountAsync(1, TimeSpan.FromSeconds(10));
        await peer.Handler.WaitForCountAsync(1, TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 1, 2, 3 }, server.Handler.Received.Single(r => r.From == peer.Address).Body);
        Assert.Equal(new byte[] { 4, 5, 6 }, peer.Handler.Received[0].Body);
        Assert.True(server.Transport.RejectedConnections >= inputs / 2, $"only {server.Transport.RejectedConnections} rejections logged");
        Assert.True(server.Logs.Contains(LogLevel.Warning, "maximum frame size"), "absurd lengths were not logged");
        Assert.True(server.Logs.Contains(LogLevel.Warning, "malformed marker"), "handler rejections were not logged");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.Transport.InboundConnectionCount > 1 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(1, server.Transport.InboundConnectionCount);
    }

    private static byte[] HostileBytes(Abuse abuse, Random random)
    {
        switch (abuse)
        {
            case Abuse.RandomBytes:
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return bytes;
            }
            case Abuse.TruncatedHello:
            {
                var hello = new HandshakeHello(HandshakeProtocol.Version, "test", 1, "127.0.0.1", 1, new byte[32]);
                byte[] frame = RemoteTransportTests.Frame(FrameKind.Hello, HandshakeCodec.EncodeHello(hello, []));
                return frame[..random.Next(1, frame.Length)];
            }
            case Abuse.AbsurdLength:
            {
                var header = new byte[FrameFormat.HeaderSize];
                BinaryPrimitives.WriteUInt32BigEndian(header, (uint)random.Next((1 << 20) + 1, int.MaxValue));
                header[4] = random.Next(2) == 0 ? (byte)FrameKind.Message : (byte)FrameKind.Hello;
                return header;
            }
            case Abuse.GarbageAfterHandshake:
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return bytes;
            }
            case Abuse.TruncatedAfterHandshake:
            {
                byte[] frame = RemoteTransportTests.Frame(FrameKind.Message, new byte[random.Next(10, 500)]);
                return frame[..random.Next(1, frame.Length - 1)];
            }
            default:
            {
                var body = new byte[random.Next(1, 50)];
                random.NextBytes(body);
                body[0] = 0xFF;
                return RemoteTransportTests.Frame(FrameKind.Message, body);
            }
        }
    }
}
