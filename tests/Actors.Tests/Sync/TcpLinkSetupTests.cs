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
        await using var listener = SyncListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), options);
        var target = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "this-machine");
        var accepting = listener.AcceptAsync("ring", 0, "rank 0", CancellationToken.None);
        using var outgoing = await LinkConnector.ConnectAsync(target, "rank 1", 1, "ring", 0, sharedMemory: false, options, CancellationToken.None);
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
