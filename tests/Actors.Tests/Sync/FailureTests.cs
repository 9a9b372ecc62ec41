using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

public sealed class FailureTests
{
    public static TheoryData<SyncStrategy, TransportKind> Variants => AllReduceTests.Variants;

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Ranks_calling_different_lengths_fail_and_name_a_disagreeing_peer(SyncStrategy strategy, TransportKind transport)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, strategy, SmallOptions(transport));
        var calls = group.Members.Select(m => Task.Run(() => m.AllReduceAsync(new float[m.Rank == 1 ? 10 : 12], ReduceOp.Sum))).ToArray();
        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains("disagree", failure.Message);
            Assert.NotNull(failure.FailedPeer);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_rank_that_never_calls_makes_the_others_time_out_with_the_setting_named(SyncStrategy strategy, TransportKind transport)
    {
        var options = SmallOptions(transport) with { CollectiveTimeout = TimeSpan.FromMilliseconds(300) };
        await using var group = await InProcessSyncGroup.CreateAsync(3, strategy, options);
        var calls = group.Members.Where(m => m.Rank != 2).Select(m => Task.Run(() => m.AllReduceAsync(new float[100], ReduceOp.Sum))).ToArray();
        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(failure.Message.Contains("collective-timeout") || failure.Message.Contains("timed out") || failure.FailedPeer is not null, failure.Message);
        }
        // The group stays failed: the next call throws at once.
        await Assert.ThrowsAsync<CollectiveFailedException>(() => group.Members[0].BarrierAsync()).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_a_collective_fails_the_whole_group_promptly()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.SharedMemory));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var rank0 = group.Members[0].AllReduceAsync(new float[1000], ReduceOp.Sum, cancel.Token);
        var rank1 = group.Members[1].AllReduceAsync(new float[1000], ReduceOp.Sum);
        var mine = await Assert.ThrowsAsync<CollectiveFailedException>(() => rank0).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("cancelled", mine.Message);
        var theirs = await Assert.ThrowsAsync<CollectiveFailedException>(() => rank1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("cancelled", theirs.Message);
    }

    [Fact]
    public async Task A_member_that_left_makes_the_next_collective_fail_naming_it()
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, SyncStrategy.Ring, SmallOptions(TransportKind.Tcp));
        await group.Members[2].DisposeAsync();
        await Task.Delay(200);
        var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => group.Members[0].AllReduceAsync(new float[10], ReduceOp.Sum))
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, failure.FailedRank);
        Assert.Contains("left the group", failure.Message);
    }

    [Fact]
    public void Forcing_shared_memory_between_machines_is_rejected_with_the_setting_named()
    {
        var a = new PeerEndpoint(0, "10.0.0.1", 1, "machine-a");
        var b = new PeerEndpoint(1, "10.0.0.2", 1, "machine-b");
        var error = Assert.Throws<ArgumentException>(() => SyncTopology.UseSharedMemory(TransportKind.SharedMemory, a, b));
        Assert.Contains("shared-memory", error.Message);
        Assert.False(SyncTopology.UseSharedMemory(TransportKind.Auto, a, b));
        Assert.True(SyncTopology.UseSharedMemory(TransportKind.Auto, a, b with { MachineId = "machine-a" }));
    }
}
