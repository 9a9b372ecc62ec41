using System.Net.Sockets;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Tests.Remoting;

/// <summary>A raw socket that passed a real handshake with a node, for feeding it hand-made frames.</summary>
internal static class RawPeer
{
    public static async Task<Socket> HandshakeAsync(RemoteNode node, string? secret = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", node.Address.Address.Port!.Value);
        var stream = new NetworkStream(socket, ownsSocket: false);
        var protocol = new HandshakeProtocol(
            new UniqueAddress(ActorTrain.Cluster.Kernel.Address.Network(node.Address.Address.System, "127.0.0.1", 1), 777), secret);
        await protocol.RunClientAsync(new FrameReader(System.IO.Pipelines.PipeReader.Create(stream), 1 << 20, "node"),
            new FrameWriter(stream, 1 << 20), "node", CancellationToken.None);
        return socket;
    }
}
