using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class BroadcastAndScalarsTests
{
    public static TheoryData<SyncStrategy, TransportKind> Variants => AllReduceTests.Variants;

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Broadcast_delivers_the_root_buffer_bitwise_to_every_rank(SyncStrategy strategy, TransportKind transport)
    {
        await using var groups = new GroupCache(strategy, SmallOptions(transport));
        Check(Cases(), 25, c =>
        {
            var group = groups.For(c.World);
            int root = c.Seed % c.World;
            float[][] buffers = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            float[] expected = (float[])buffers[root].Clone();
            group.OnAllAsync(m => m.BroadcastAsync(buffers[m.Rank], root)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            AssertBitwiseIdentical([expected, .. buffers]);
        });
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Scalar_all_reduce_is_the_rank_ordered_float64_sum_on_every_rank(SyncStrategy strategy, TransportKind transport)
    {
        await using var groups = new GroupCache(strategy, SmallOptions(transport));
        Check(Cases(), 25, c =>
        {
            var group = groups.For(c.World);
            int count = c.Length % 5;
            var random = new Random(c.Seed);
            double[][] values = [.. Enumerable.Range(0, c.World).Select(_ => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 1e6 - 5e5).ToArray())];
            double[][] results = group.OnAllAsync(m => m.AllReduceScalarsAsync(values[m.Rank])).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            for (int i = 0; i < count; i++)
            {
                double expected = values[0][i];
                for (int r = 1; r < c.World; r++) expected += values[r][i]; // the documented order: ((v0 + v1) + v2) + …
                foreach (var result in results)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(result[i]));
            }
        });
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Barrier_releases_no_rank_before_the_last_one_has_entered(SyncStrategy strategy, TransportKind transport)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(4, strategy, SmallOptions(transport));
        long lastEntry = 0;
        long[] exits = await group.OnAllAsync(async m =>
        {
            await Task.Delay(m.Rank * 40);
            Interlocked.Exchange(ref lastEntry, Math.Max(Interlocked.Read(ref lastEntry), System.Diagnostics.Stopwatch.GetTimestamp()));
            await m.BarrierAsync();
            return System.Diagnostics.Stopwatch.GetTimestamp();
        });
        Assert.All(exits, exit => Assert.True(exit >= Interlocked.Read(ref lastEntry), "a rank left the barrier before the last rank entered it"));
    }
}
