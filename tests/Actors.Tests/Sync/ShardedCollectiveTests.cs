using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.SharedMemory;
using ActorTrain.Actors.Sync.Transport;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// Reduce-scatter and all-gather (the sharded optimizer's collectives): natively through the shared-memory arena,
/// and through the fallbacks (a full all-reduce, one broadcast per shard) on the ring over TCP and the parameter server.
/// </summary>
public sealed class ShardedCollectiveTests
{
    public static TheoryData<string> Paths => ["arena", "arena, two slots, cache-line chunks", "ring over tcp (fallback)", "parameter server (fallback)"];

    private static (SyncStrategy Strategy, GradientSyncOptions Options) SetupFor(string path) => path switch
    {
        "arena" => (SyncStrategy.Ring, SmallOptions(TransportKind.Auto)),
        "arena, two slots, cache-line chunks" => (SyncStrategy.Ring, SmallOptions(TransportKind.Auto) with { SharedMemoryArenaSlots = 2, SharedMemoryArenaChunkBytes = 64 }),
        "ring over tcp (fallback)" => (SyncStrategy.Ring, SmallOptions(TransportKind.Tcp)),
        "parameter server (fallback)" => (SyncStrategy.ParameterServer, SmallOptions(TransportKind.Auto)),
        _ => throw new ArgumentException(path),
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Reduce_scatter_leaves_each_rank_the_sum_of_its_shard_bitwise_equal_to_the_all_reduce(string path)
    {
        var (strategy, options) = SetupFor(path);
        await using var groups = new GroupCache(strategy, options);
        Check(Cases(), 20, c =>
        {
            var group = groups.For(c.World);
            var op = c.Seed % 2 == 0 ? ReduceOp.Sum : ReduceOp.Average;
            float[][] inputs = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            float[][] scattered = [.. inputs.Select(i => (float[])i.Clone())];
            float[][] reduced = [.. inputs.Select(i => (float[])i.Clone())];
            Run(group.OnAllAsync(m => m.ReduceScatterAsync(scattered[m.Rank], op)));
            Run(group.OnAllAsync(m => m.AllReduceAsync(reduced[m.Rank], op)));
            AssertCloseToSum(reduced[0], inputs, op == ReduceOp.Average ? c.World : 1);
            for (var r = 0; r < c.World; r++)
            {
                var (offset, length) = ShardPartition.Of(c.Length, c.World, r);
                Assert.True(scattered[r].AsSpan(offset, length).SequenceEqual(reduced[r].AsSpan(offset, length)),
                    $"rank {r}'s shard [{offset}, +{length}) differs from the all-reduce (world {c.World}, length {c.Length})");
            }
        });
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task All_gather_gives_every_rank_every_owners_shard_bitwise(string path)
    {
        var (strategy, options) = SetupFor(path);
        await using var groups = new GroupCache(strategy, options);
        Check(Cases(), 20, c =>
        {
            var group = groups.For(c.World);
            float[][] owned = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            var expected = new float[c.Length];
            for (var r = 0; r < c.World; r++)
            {
                var (offset, length) = ShardPartition.Of(c.Length, c.World, r);
                owned[r].AsSpan(offset, length).CopyTo(expected.AsSpan(offset));
            }
            float[][] buffers = [.. owned.Select(o => (float[])o.Clone())];
            Run(group.OnAllAsync(m => m.AllGatherAsync(buffers[m.Rank])));
            for (var r = 0; r < c.World; r++)
                Assert.True(buffers[r].AsSpan().SequenceEqual(expected), $"rank {r} did not gather every shard (world {c.World}, length {c.Length})");
        });
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task All_gathers_started_back_to_back_complete_in_order_on_every_rank(string path)
    {
        // The trainer starts one all-gather per bucket without waiting in between; the fallback's broadcasts of
        // different buckets must not interleave differently on different ranks.
        var (strategy, options) = SetupFor(path);
        await using var group = await InProcessSyncGroup.CreateAsync(4, strategy, options, parameterServerShards: 2);
        int[] lengths = [1000, 37, 4096, 5, 777];
        float[][][] buffers = [.. Enumerable.Range(0, 4).Select(r => lengths.Select((n, b) => Input(b, r, n)).ToArray())];
        await group.OnAllAsync(m => Task.Run(() =>
        {
            var started = new List<Task>();
            foreach (var bucket in buffers[m.Rank])
            {
                started.Add(m.AllGatherAsync(bucket));
                if (m.Rank % 2 == 1) Thread.Sleep(20); // odd ranks start the next all-gather late, as a busy trainer thread would
            }
            return Task.WhenAll(started);
        })).WaitAsync(TimeSpan.FromSeconds(60));
        for (var b = 0; b < lengths.Length; b++)
            for (var r = 1; r < 4; r++)
                Assert.True(buffers[r][b].AsSpan().SequenceEqual(buffers[0][b]), $"bucket {b}: rank {r} differs from rank 0");
    }

    [Fact]
    public async Task Only_the_arena_reports_native_sharded_collectives()
    {
        await using var arena = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Auto));
        await using var tcp = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Tcp));
        Assert.All(arena.Members, m => Assert.True(m.HasNativeShardedCollectives));
        Assert.All(tcp.Members, m => Assert.False(m.HasNativeShardedCollectives));
    }

    [Fact]
    public void Shards_tile_the_buffer_in_rank_order_with_cache_line_aligned_starts()
    {
        Prop.ForAll(Arb.From(Gen.Choose(1, 8)), Arb.From(Gen.Choose(0, 100_000)), (world, length) =>
        {
            var cursor = 0;
            for (var r = 0; r < world; r++)
            {
                var (offset, count) = ShardPartition.Of(length, world, r);
                Assert.Equal(cursor, offset);
                Assert.True(count >= 0);
                Assert.True(offset % 16 == 0 || offset == length, $"shard {r} starts at {offset}, not on a cache line");
                cursor += count;
            }
            Assert.Equal(length, cursor);
            Assert.True(ArenaAllReduce.ShardedPieceFloats(world * 16 * 4, world) % 16 == 0);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static void Run(Task task) => task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
}
