using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using Xunit;
using static ActorTrain.Actors.Tests.Sync.SyncTestSupport;

namespace ActorTrain.Actors.Tests.Sync;

/// <summary>
/// A peer that stops responding without closing anything (a frozen node) is simulated by a member that never makes
/// the call: its sockets stay open and nobody reads them, its shared-memory side never posts.
/// </summary>
public sealed class AbortTests
{
    private const int Frozen = 2;

    // Large enough that the senders block on full socket buffers / slots, not only the receivers.
    private const int Floats = 2 * 1024 * 1024;

    public static TheoryData<SyncStrategy, TransportKind, bool> Variants => new()
    {
        { SyncStrategy.Ring, TransportKind.Tcp, false },
        { SyncStrategy.Ring, TransportKind.SharedMemory, false }, // ring over shared-memory channels
        { SyncStrategy.Ring, TransportKind.Auto, true }, // shared-memory arena
        { SyncStrategy.ParameterServer, TransportKind.Tcp, false },
        { SyncStrategy.ParameterServer, TransportKind.SharedMemory, false },
    };

    private static GradientSyncOptions OptionsFor(TransportKind transport, bool arena) =>
        new GradientSyncOptions { Transport = transport, UseSharedMemoryArena = arena, CollectiveTimeout = TimeSpan.FromMinutes(5) };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Abort_fails_the_collective_blocked_on_a_silent_peer_at_once_and_names_it(SyncStrategy strategy, TransportKind transport, bool arena)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, strategy, OptionsFor(transport, arena));
        var calls = group.Members.Where(m => m.Rank != Frozen)
            .Select(m => Task.Run(() => m.AllReduceAsync(new float[Floats], ReduceOp.Sum))).ToArray();
        await Task.Delay(500);
        Assert.All(calls, c => Assert.False(c.IsCompleted, "the collective cannot complete while a member is silent"));

        group.Members[0].Abort($"rank {Frozen} stopped responding (test)", Frozen);

        foreach (var call in calls)
        {
            // Far below the 5-minute collective timeout: the abort, not a timeout, ends the wait.
            var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => call).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(Frozen, failure.FailedRank);
            Assert.Contains($"rank {Frozen} stopped responding (test)", failure.Message);
        }
        // The group stays failed.
        await Assert.ThrowsAsync<CollectiveFailedException>(() => group.Members[0].BarrierAsync()).WaitAsync(TimeSpan.FromSeconds(5));
        await AssertClosesPromptly(group.Members[0]);
        await AssertClosesPromptly(group.Members[1]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Closing_a_member_blocked_on_a_silent_peer_aborts_instead_of_waiting(SyncStrategy strategy, TransportKind transport, bool arena)
    {
        await using var group = await InProcessSyncGroup.CreateAsync(3, strategy, OptionsFor(transport, arena));
        var blocked = Task.Run(() => group.Members[0].AllReduceAsync(new float[Floats], ReduceOp.Sum));
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted);

        await AssertClosesPromptly(group.Members[0]);

        var failure = await Assert.ThrowsAsync<CollectiveFailedException>(() => blocked).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("closed while this collective was running", failure.Message);
    }

    private static async Task AssertClosesPromptly(IGradientSync member)
    {
        await member.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        bool stopped = member switch
        {
            RingAllReduceSync ring => ring.WorkersStopped,
            ParameterServerSync ps => ps.WorkersStopped,
            _ => throw new InvalidOperationException(member.GetType().Name),
        };
        Assert.True(stopped, $"rank {member.Rank}: a collective worker thread is still running after closing");
    }
}
