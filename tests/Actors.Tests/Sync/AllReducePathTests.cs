using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.SharedMemory;
using ActorTrain.Actors.Sync.Transport;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// The ring's all-reduce has several data paths chosen from the settings: the shared-memory arena (co-located
/// ranks), and around the ring either one thread alternating sends and receives (channel buffers a whole chunk) or a
/// send and a receive thread. Each must give float64-close, bitwise identical results.
/// </summary>
public sealed class AllReducePathTests
{
    public static TheoryData<string> Paths => ["arena, one slot", "arena, two slots, cache-line chunks", "ring over shared-memory channels, one thread",
        "ring over shared-memory channels, two threads", "ring over tcp, two threads"];

    private static GradientSyncOptions OptionsFor(string path) => path switch
    {
        "arena, one slot" => SmallOptions(TransportKind.SharedMemory) with { SharedMemoryArenaSlots = 1, SharedMemoryArenaChunkBytes = 256 },
        "arena, two slots, cache-line chunks" => SmallOptions(TransportKind.Auto) with { SharedMemoryArenaSlots = 2, SharedMemoryArenaChunkBytes = 64 },
        "ring over shared-memory channels, one thread" => SmallOptions(TransportKind.SharedMemory) with { UseSharedMemoryArena = false, SharedMemorySlots = 4 },
        "ring over shared-memory channels, two threads" => SmallOptions(TransportKind.SharedMemory) with
        {
            UseSharedMemoryArena = false, SharedMemorySlots = 2, SharedMemorySlotBytes = 64, // 128 bytes of slots < one 256-byte chunk
        },
        "ring over tcp, two threads" => SmallOptions(TransportKind.Tcp) with { ChunkBytes = 48 * 1024, TcpChunkBytes = 48 * 1024, SocketBufferBytes = 64 * 1024 },
        _ => throw new ArgumentException(path),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_all_reduce_path_matches_float64_reference_and_is_bitwise_identical_on_every_rank(string path)
    {
        await using var groups = new GroupCache(SyncStrategy.Ring, OptionsFor(path));
        Check(Cases(), 25, c =>
        {
            var group = groups.For(c.World);
            var op = c.Seed % 2 == 0 ? ReduceOp.Sum : ReduceOp.Average;
            float[][] inputs = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], op)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            AssertCloseToSum(buffers[0], inputs, op == ReduceOp.Average ? c.World : 1);
            AssertBitwiseIdentical(buffers);
        });
    }

    [Fact]
    public async Task Co_located_ranks_all_reduce_through_the_arena_unless_tcp_is_forced_or_the_arena_is_disabled()
    {
        await using var auto = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Auto));
        await using var tcp = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Tcp));
        await using var channels = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Auto) with { UseSharedMemoryArena = false });
        Assert.All(auto.Members, m => Assert.Equal("shared-memory-arena", ((RingAllReduceSync)m).AllReduceTransport));
        Assert.All(tcp.Members, m => Assert.Equal("tcp", ((RingAllReduceSync)m).AllReduceTransport));
        Assert.All(channels.Members, m => Assert.Equal("shared-memory", ((RingAllReduceSync)m).AllReduceTransport));
    }

    [Fact]
    public async Task Arena_all_reduces_interleave_with_ring_broadcasts_and_scalars_and_stay_in_step()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(4, SyncStrategy.Ring, SmallOptions(TransportKind.Auto) with { SharedMemoryArenaSlots = 2 });
        for (int round = 0; round < 5; round++)
        {
            int length = 37 * round + 3;
            float[][] inputs = [.. Enumerable.Range(0, 4).Select(r => Input(round, r, length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            await group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Sum));
            AssertCloseToSum(buffers[3], inputs);
            AssertBitwiseIdentical(buffers);
            var sums = await group.OnAllAsync(m => m.AllReduceScalarsAsync([m.Rank + round]));
            Assert.All(sums, s => Assert.Equal(6 + 4 * round, s[0]));
            await group.OnAllAsync(m => m.BarrierAsync());
        }
    }

    [Fact]
    public void Arena_slices_cover_each_chunk_in_order_with_cache_line_aligned_starts()
    {
        Prop.ForAll(Arb.From(Gen.Choose(1, 8)), Arb.From(Gen.Choose(0, 100_000)), (world, count) =>
        {
            Assert.Equal(0, ArenaAllReduce.SliceStart(0, count, world));
            Assert.Equal(count, ArenaAllReduce.SliceStart(world, count, world));
            for (int s = 0; s < world; s++)
            {
                int start = ArenaAllReduce.SliceStart(s, count, world), end = ArenaAllReduce.SliceStart(s + 1, count, world);
                Assert.True(start <= end, $"slice {s} of {count} over {world} is reversed: {start}..{end}");
                Assert.True(start % 16 == 0 || start == count, $"slice {s} starts at {start}, not on a cache line");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
