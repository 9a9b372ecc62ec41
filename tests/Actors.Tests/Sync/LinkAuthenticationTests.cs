using System.Net;
using System.Net.Sockets;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>Every data-plane connection must present the job's token in its hello; strangers cost a listener only a few KiB.</summary>
public sealed class LinkAuthenticationTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task A_link_with_a_wrong_token_is_refused_and_never_handed_out()
    {
        var options = SmallOptions(TransportKind.Tcp) with { ConnectTimeout = TimeSpan.FromSeconds(3) };
        byte[] token = DataLinkToken.Create();
        await using var listener = SyncListener.Bind(Loopback, options, token);
        var target = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "m");
        var accepting = listener.AcceptAsync("ring", 0, "rank 0", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<IOException>(() =>
            LinkConnector.ConnectAsync(target, "rank 1", 1, "ring", 0, LinkChannel.Tcp, DataLinkToken.Create(), options, CancellationToken.None));
        Assert.Contains("wrong data-link token", refused.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => accepting); // nothing reached the ring

        // The same connection with the job's token goes through.
        var second = listener.AcceptAsync("ring", 2, "rank 2", CancellationToken.None);
        using var link = await LinkConnector.ConnectAsync(target, "rank 1", 1, "ring", 2, LinkChannel.Tcp, token, options, CancellationToken.None);
        using var accepted = await second.WaitAsync(TimeSpan.FromSeconds(10));
        link.Send([4f]);
        var received = new float[1];
        accepted.Receive(received);
        Assert.Equal(4f, received[0]);
    }

    [Fact]
    public async Task A_hello_that_arrives_before_the_token_waits_for_it_and_is_then_checked()
    {
        var options = SmallOptions(TransportKind.Tcp);
        byte[] token = DataLinkToken.Create();
        await using var listener = SyncListener.Bind(Loopback, options); // bound before the rendezvous, as a node does
        var target = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "m");
        var accepting = listener.AcceptAsync("ring", 0, "rank 0", CancellationToken.None);
        var connecting = LinkConnector.ConnectAsync(target, "rank 1", 1, "ring", 0, LinkChannel.Tcp, token, options, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(accepting.IsCompleted);
        listener.SetDataLinkToken(token);
        using var link = await connecting.WaitAsync(TimeSpan.FromSeconds(10));
        using var accepted = await accepting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<InvalidOperationException>(() => listener.SetDataLinkToken(DataLinkToken.Create()));
    }

    [Fact]
    public void A_maximum_size_frame_announcement_from_a_stranger_reserves_nothing()
    {
        using var server = new TcpListener(Loopback);
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(server.LocalEndpoint);
        using var accepted = server.AcceptSocket();
        foreach (int announced in new[] { int.MaxValue - 8, 60 * 1024, LinkHello.MaxEncodedBytes + 1 })
        {
            client.Send(new FrameHeader().Encode(announced)[..FrameHeader.PrefixBytes]); // the map alone tells the length
            // Per-thread allocation count: the read runs on this thread, so other tests' allocations do not count.
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<InvalidDataException>(() =>
                SocketFrames.Read(accepted, TimeSpan.FromSeconds(5), CancellationToken.None, LinkHello.MaxEncodedBytes));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains("exceeds", error.Message);
            Assert.True(allocated < 16 * 1024, $"announcing {announced} bytes made the reader allocate {allocated} bytes");
        }
    }

    [Fact]
    public async Task A_listener_closes_a_connection_announcing_a_huge_frame_and_keeps_serving()
    {
        var options = SmallOptions(TransportKind.Tcp);
        byte[] token = DataLinkToken.Create();
        await using var listener = SyncListener.Bind(Loopback, options, token);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stranger.ConnectAsync(listener.LocalEndpoint);
        await stranger.SendAsync(new FrameHeader().Encode(int.MaxValue - 8).ToArray()); // 2 GiB
        // Whatever it answers (a refusal), the listener then closes the connection without waiting for 2 GiB.
        var buffer = new byte[8192];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { while (await stranger.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0) { } }
        catch (SocketException) { } // reset: closed with the rest of its header unread

        var target = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "m");
        var accepting = listener.AcceptAsync("ps", 3, null, CancellationToken.None);
        using var link = await LinkConnector.ConnectAsync(target, "shard", null, "ps", 3, LinkChannel.Tcp, token, options, CancellationToken.None);
        using var accepted = await accepting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(SyncStrategy.Ring)]
    [InlineData(SyncStrategy.ParameterServer)]
    public async Task Garbage_at_the_data_ports_while_collectives_run_leaves_them_completing_correctly(SyncStrategy strategy)
    {
        const int world = 3, rounds = 20, length = 20_000;
        await using var group = await InProcessSyncGroup.CreateAsync(world, strategy, SmallOptions(TransportKind.Tcp), parameterServerShards: 2);
        var ports = strategy == SyncStrategy.Ring
            ? group.Endpoints.Select(e => e.Port).ToArray()
            : group.Servers.Select(s => s.LocalEndpoint.Port).ToArray();

        var attacks = ports.SelectMany(port => new[]
        {
            Task.Run(() => SendRandomBytes(port, 1 << 20, seed: port)),
            Task.Run(() => SendForeignHello(port)),
            Task.Run(() => SendRandomBytes(port, 1 << 20, seed: port + 1)),
        }).ToArray();

        for (int round = 0; round < rounds; round++)
        {
            float[][] inputs = [.. Enumerable.Range(0, world).Select(r => Input(round, r, length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            await group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Sum)).WaitAsync(TimeSpan.FromSeconds(30));
            AssertCloseToSum(buffers[0], inputs);
            AssertBitwiseIdentical(buffers);
        }
        await Task.WhenAll(attacks).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends <paramref name="count"/> random bytes on a fresh connection; the listener may cut it off at any point.</summary>
    private static async Task SendRandomBytes(int port, int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(bytes);
            socket.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (await socket.ReceiveAsync(sink, SocketFlags.None, deadline.Token) > 0) { }
        }
        catch (SocketException) { } // reset by the listener: expected
    }

    /// <summary>A well-formed hello for the ring with another job's token, then silence.</summary>
    private static async Task SendForeignHello(int port)
    {
        var hello = new LinkHello(DataLinkToken.Create(), "actortrain", "ring", 0, LinkHello.DataRole, false, null, 0, 0).Encode();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            SocketFrames.Send(socket, hello);
            var sink = new byte[4096];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            int n, total = 0;
            while ((n = await socket.ReceiveAsync(sink.AsMemory(total), SocketFlags.None, deadline.Token)) > 0) total += n;
            Assert.Contains("wrong data-link token", System.Text.Encoding.UTF8.GetString(sink, 0, total));
        }
        catch (SocketException) { }
    }
}
