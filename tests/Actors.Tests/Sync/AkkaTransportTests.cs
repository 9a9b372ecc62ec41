using System.Net;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Actors.Sync.Transport.AkkaLink;
using ActorTrain.Cluster.Node;
using Akka.Actor;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// Transport <c>akka</c> with real actor systems, one per rank, talking through Akka.Remote on 127.0.0.1 (free
/// ports): every chunk goes through our MessagePack serializer and a DotNetty socket. The frame size is set to
/// 64 KiB (chunks of 56 KiB), so frames of a few hundred KiB span several chunks and the credit window (4 chunks) fills.
/// </summary>
public sealed class AkkaTransportTests : IAsyncLifetime
{
    private const int FrameSizeKiB = 64;
    private readonly List<ActorSystem> _systems = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate();
    }

    private ActorSystem NewSystem()
    {
        var system = ActorSystem.Create("akka-transport-test", AkkaConfig.Reference($"""
            actortrain.cluster.port = 0
            actortrain.remote.maximum-frame-size = {FrameSizeKiB}KiB
            akka.actor.provider = remote
            akka.loglevel = WARNING
            """));
        _systems.Add(system);
        return system;
    }

    [Fact]
    public async Task Ring_all_reduce_over_akka_gives_the_same_bits_as_over_tcp()
    {
        // Same chunking (tcp-chunk-bytes applies to both, as neither is shared memory) = same summation order, so the
        // results must match bit for bit, not only within float tolerance. 256 KiB ring chunks = 5 akka chunks each.
        const int world = 3, length = 200_000;
        var options = new GradientSyncOptions { ChunkBytes = 256 * 1024, TcpChunkBytes = 256 * 1024, ConnectTimeout = TimeSpan.FromSeconds(30) };
        var inputs = Enumerable.Range(0, world).Select(r => Input(17, r, length)).ToArray();

        var overTcp = await AllReduceAsync(world, options with { Transport = TransportKind.Tcp }, inputs, system: null);
        var overAkka = await AllReduceAsync(world, options with { Transport = TransportKind.Akka }, inputs, system: NewSystem);

        AssertBitwiseIdentical(overAkka);
        AssertCloseToSum(overAkka[0], inputs);
        AssertBitwiseIdentical([overTcp[0], overAkka[0]]);
    }

    [Fact]
    public async Task A_frame_of_many_chunks_and_an_empty_frame_round_trip_and_a_wrong_length_is_refused()
    {
        var (sender, receiver) = await ConnectPairAsync();
        var frame = new byte[300_000]; // 6 chunks of at most 56 KiB: more than the credit window of 4
        new Random(5).NextBytes(frame);
        var received = new byte[frame.Length];
        var receive = Task.Run(() => receiver.Receive(received));
        await Task.Run(() => sender.Send(frame));
        await receive.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(frame, received);

        await Task.Run(() => sender.Send(ReadOnlySpan<byte>.Empty));
        await Task.Run(() => receiver.Receive(Span<byte>.Empty)).WaitAsync(TimeSpan.FromSeconds(30));

        await Task.Run(() => sender.Send(new byte[100]));
        var mismatch = await Assert.ThrowsAsync<PeerLinkBrokenException>(() => Task.Run(() => receiver.Receive(new byte[104])));
        Assert.IsType<InvalidDataException>(mismatch.InnerException);
        sender.Dispose();
        receiver.Dispose();
    }

    [Fact]
    public async Task Abort_wakes_a_blocked_receive_on_both_ends_at_once()
    {
        var (sender, receiver) = await ConnectPairAsync();
        var blockedHere = Task.Run(() => receiver.Receive(new byte[16]));
        var blockedThere = Task.Run(() => sender.Receive(new byte[16]));
        await Task.Delay(300);
        Assert.False(blockedHere.IsCompleted, "nothing was sent, so the receive must still wait");

        receiver.Abort(); // this side at once; the peer through a DataLinkAborted message

        var failure = await Assert.ThrowsAsync<PeerLinkBrokenException>(() => blockedHere).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("aborted", failure.InnerException!.Message);
        await Assert.ThrowsAsync<PeerLinkBrokenException>(() => blockedThere).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Throws<PeerLinkBrokenException>(() => receiver.Send(new byte[4])); // and later calls fail too
        sender.Dispose();
        receiver.Dispose();
    }

    [Fact]
    public async Task A_chunk_with_a_wrong_token_is_dropped_and_the_real_frame_still_arrives()
    {
        var (sender, receiver) = await ConnectPairAsync();
        var target = ((AkkaDataChannel)receiver.Channel).Self;
        var stranger = NewSystem();
        var forged = new DataChunk(DataLinkToken.Create(), 0, 4, 0, [9, 9, 9, 9]);
        stranger.ActorSelection(target.Path.ToStringWithAddress(((ExtendedActorSystem)_systems[1]).Provider.DefaultAddress)).Tell(forged);
        await Task.Delay(500);

        await Task.Run(() => sender.Send(new byte[] { 1, 2, 3, 4 }));
        var received = new byte[4];
        await Task.Run(() => receiver.Receive(received)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, received);
        sender.Dispose();
        receiver.Dispose();
    }

    /// <summary>One akka link between two systems, set up as the ring does: hello over the side socket, then actors.</summary>
    private async Task<(PeerLink Sender, PeerLink Receiver)> ConnectPairAsync()
    {
        byte[] token = DataLinkToken.Create();
        var options = new GradientSyncOptions { Transport = TransportKind.Akka, ConnectTimeout = TimeSpan.FromSeconds(30) };
        var connectOptions = options with { ActorSystem = NewSystem() };
        var acceptOptions = options with { ActorSystem = NewSystem() };
        await using var listener = SyncListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), acceptOptions, token);
        var endpoint = new PeerEndpoint(1, "127.0.0.1", listener.LocalEndpoint.Port, "test");
        var accept = listener.AcceptAsync("test", 0, "rank 0", CancellationToken.None);
        var connect = LinkConnector.ConnectAsync(endpoint, "rank 1", 1, "test", 0, LinkChannel.Akka, token, connectOptions, CancellationToken.None);
        await Task.WhenAll(accept, connect);
        Assert.Equal("akka", connect.Result.Channel.Kind);
        Assert.Equal("akka", accept.Result.Channel.Kind);
        return (connect.Result, accept.Result);
    }

    /// <summary>A ring group of <paramref name="world"/> ranks (each with its own system when <paramref name="system"/> is given).</summary>
    private static async Task<float[][]> AllReduceAsync(int world, GradientSyncOptions options, float[][] inputs, Func<ActorSystem>? system)
    {
        byte[] token = DataLinkToken.Create();
        var rankOptions = Enumerable.Range(0, world).Select(_ => system is null ? options : options with { ActorSystem = system() }).ToArray();
        var listeners = rankOptions.Select(o => SyncListener.Bind(new IPEndPoint(IPAddress.Loopback, 0), o, token)).ToArray();
        var ranks = listeners.Select((l, r) => new PeerEndpoint(r, "127.0.0.1", l.LocalEndpoint.Port, "test-machine")).ToArray();
        var members = await Task.WhenAll(Enumerable.Range(0, world).Select(r => RingAllReduceSync.CreateAsync(listeners[r], ranks, r, token, rankOptions[r])));
        try
        {
            foreach (var member in members) member.OwnedListener = listeners[member.Rank];
            Assert.All(members, m => Assert.Equal(options.Transport == TransportKind.Akka ? "akka" : "tcp", m.AllReduceTransport));
            var buffers = inputs.Select(i => i.ToArray()).ToArray();
            await Task.WhenAll(members.Select(m => Task.Run(() => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Sum))));
            return buffers;
        }
        finally
        {
            await Task.WhenAll(members.Select(m => m.DisposeAsync().AsTask()));
        }
    }
}
