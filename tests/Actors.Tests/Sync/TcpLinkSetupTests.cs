using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// TCP data channels are set up without async socket calls. .NET registers a socket with its epoll loop on the first
/// async operation and switches its descriptor to O_NONBLOCK; from then on every arriving segment wakes that loop and a
/// thread-pool worker, which cost the TCP ring 30-40 % of its speed with four ranks on two cores. The observable trace
/// of "never registered" is a descriptor still in blocking mode.
/// </summary>
public sealed partial class TcpLinkSetupTests
{
    private const int GetStatusFlags = 3, NonBlocking = 0x800;

    [Fact]
    public async Task Both_ends_of_a_tcp_data_channel_stay_out_of_the_runtime_socket_event_loop()
    {
        if (!OperatingSystem.IsLinux()) return;
        var options = SmallOptions(TransportKind.Tcp);
        byte[] token = DataLinkToken.Create();
        await using var listener = SyncListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), options, token);
        var target = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "this-machine");
        var accepting = listener.AcceptAsync("ring", 0, "rank 0", CancellationToken.None);
        using var outgoing = await LinkConnector.ConnectAsync(target, "rank 1", 1, "ring", 0, LinkChannel.Tcp, token, options, CancellationToken.None);
        using var incoming = await accepting.WaitAsync(TimeSpan.FromSeconds(30));

        // The link works both ways over plain blocking calls...
        outgoing.Send([1f, 2f, 3f]);
        var received = new float[3];
        incoming.Receive(received);
        Assert.Equal([1f, 2f, 3f], received);

        // ...and neither data socket was ever switched to non-blocking by the runtime.
        foreach (var link in new[] { outgoing, incoming })
        {
            var socket = Assert.IsType<TcpDataChannel>(link.Channel).Socket;
            int flags = FileControl((int)socket.SafeHandle.DangerousGetHandle(), GetStatusFlags);
            Assert.True(flags >= 0, $"fcntl failed: errno {Marshal.GetLastPInvokeError()}");
            Assert.True((flags & NonBlocking) == 0, $"{link.PeerName}'s data socket is O_NONBLOCK: it ran an async operation");
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int FileControl(int fd, int command);
}

/// <summary>Every rank must cut the ring all-reduce into the same chunks, so the TCP chunk choice depends only on the group.</summary>
public sealed class RingChunkChoiceTests
{
    private static PeerEndpoint At(int rank, string machine) => new(rank, "127.0.0.1", 5000 + rank, machine);

    [Fact]
    public void A_ring_uses_the_tcp_chunk_when_any_link_crosses_machines_or_tcp_is_forced_and_every_rank_agrees()
    {
        PeerEndpoint[] oneMachine = [At(0, "a"), At(1, "a"), At(2, "a"), At(3, "a")];
        PeerEndpoint[] twoMachines = [At(0, "a"), At(1, "a"), At(2, "b"), At(3, "b")]; // links 1→2 and 3→0 are TCP
        Assert.False(Actors.Sync.SyncTopology.RingHasTcpLink(TransportKind.Auto, oneMachine));
        Assert.False(Actors.Sync.SyncTopology.RingHasTcpLink(TransportKind.SharedMemory, oneMachine));
        Assert.True(Actors.Sync.SyncTopology.RingHasTcpLink(TransportKind.Tcp, oneMachine));
        Assert.True(Actors.Sync.SyncTopology.RingHasTcpLink(TransportKind.Auto, twoMachines));
        Assert.False(Actors.Sync.SyncTopology.RingHasTcpLink(TransportKind.Tcp, [At(0, "a")]));
    }
}
