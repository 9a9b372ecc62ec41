using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class AllReduceTests
{
    public static TheoryData<SyncStrategy, TransportKind> Variants => new()
    {
        { SyncStrategy.Ring, TransportKind.Tcp },
        { SyncStrategy.Ring, TransportKind.SharedMemory },
        { SyncStrategy.ParameterServer, TransportKind.Tcp },
        { SyncStrategy.ParameterServer, TransportKind.SharedMemory },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task All_reduce_sum_matches_float64_reference_and_is_bitwise_identical_on_every_rank(SyncStrategy strategy, TransportKind transport)
    {
        await using var groups = new GroupCache(strategy, SmallOptions(transport), shards: 3);
        Check(Cases(), 40, c =>
        {
            var group = groups.For(c.World);
            float[][] inputs = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Sum)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            AssertCloseToSum(buffers[0], inputs);
            AssertBitwiseIdentical(buffers);
        });
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task All_reduce_average_divides_by_world_size_identically_on_every_rank(SyncStrategy strategy, TransportKind transport)
    {
        await using var groups = new GroupCache(strategy, SmallOptions(transport));
        Check(Cases(maxWorld: 5), 15, c =>
        {
            var group = groups.For(c.World);
            float[][] inputs = [.. Enumerable.Range(0, c.World).Select(r => Input(c.Seed, r, c.Length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Average)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            AssertCloseToSum(buffers[0], inputs, divisor: c.World);
            AssertBitwiseIdentical(buffers);
        });
    }

    [Fact]
    public async Task Consecutive_all_reduces_of_different_lengths_stay_in_step()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Auto));
        foreach (int length in new[] { 1, 0, 7, 3000, 2, 513 })
        {
            float[][] inputs = [.. Enumerable.Range(0, 3).Select(r => Input(length, r, length))];
            float[][] buffers = [.. inputs.Select(i => (float[])i.Clone())];
            await group.OnAllAsync(m => m.AllReduceAsync(buffers[m.Rank], ReduceOp.Sum));
            AssertCloseToSum(buffers[2], inputs);
            AssertBitwiseIdentical(buffers);
        }
    }

    [Fact]
    public async Task Auto_transport_uses_shared_memory_between_ranks_on_one_machine_and_tcp_when_forced()
    {
        await using var auto = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.Ring, SmallOptions(TransportKind.Auto));
        await using var tcp = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.Ring, SmallOptions(TransportKind.Tcp));
        Assert.Equal("shared-memory", ((ActorTrain.Actors.Sync.Ring.RingAllReduceSync)auto.Members[0]).TransportToNext);
        Assert.Equal("tcp", ((ActorTrain.Actors.Sync.Ring.RingAllReduceSync)tcp.Members[0]).TransportToNext);
    }

    [Fact]
    public async Task Shared_memory_files_are_unlinked_once_the_group_is_connected()
    {
        // A directory of this group's own: other tests of this process create shared-memory groups concurrently in the
        // default directory, and their files (same process id in the name) are not this group's.
        var defaults = SmallOptions(TransportKind.SharedMemory);
        var directory = Directory.CreateDirectory(Path.Combine(defaults.SharedMemoryDirectory, $"actortrain-test-{Guid.NewGuid():N}")).FullName;
        try
        {
            await using (var group = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, defaults with { SharedMemoryDirectory = directory }))
            {
                Assert.Equal("shared-memory", ((ActorTrain.Actors.Sync.Ring.RingAllReduceSync)group.Members[0]).TransportToNext);
                Assert.Empty(Directory.GetFiles(directory, $"actortrain-sync-{Environment.ProcessId}-*"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
