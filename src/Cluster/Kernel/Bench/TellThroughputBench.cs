using System.Diagnostics;

namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// In-process Tell throughput: <c>senders</c> threads tell one actor <c>messages</c> pre-allocated messages in
/// total; the clock stops when the actor has processed the last one. Compare with Akka.NET's in-process
/// figure (~10 M msg/s on 12–16 cores). A benchmark, not a test: call it from <c>actortrain bench</c>.
/// </summary>
public static class TellThroughputBench
{
    /// <summary>Runs a short warm-up, then the measured run.</summary>
    /// <param name="messages">Total messages (e.g. 10,000,000).</param>
    /// <param name="senders">Concurrent telling threads (1 or more).</param>
    /// <param name="throughput">Messages per scheduling turn of the receiving actor.</param>
    public static async Task<TellThroughputResult> RunAsync(long messages = 10_000_000, int senders = 1, int throughput = Props.DefaultThroughput)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(messages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(senders, 1);
        var system = ActorSystem.Create("bench");
        try
        {
            await MeasureAsync(system, Math.Min(messages, 200_000), senders, throughput).ConfigureAwait(false);
            return await MeasureAsync(system, messages, senders, throughput).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static async Task<TellThroughputResult> MeasureAsync(ActorSystem system, long messages, int senders, int throughput)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = system.ActorOf(Props.Create(() => new CountingActor(messages, done)).WithThroughput(throughput));
        var message = new object();
        using var start = new Barrier(senders + 1);
        var threads = new Thread[senders];
        for (int s = 0; s < senders; s++)
        {
            long share = messages / senders + (s < messages % senders ? 1 : 0);
            threads[s] = new Thread(() =>
            {
                start.SignalAndWait();
                for (long i = 0; i < share; i++) receiver.Tell(message);
            }) { IsBackground = true, Name = $"bench-sender-{s}" };
            threads[s].Start();
        }
        start.SignalAndWait();
        long startTicks = Stopwatch.GetTimestamp();
        await done.Task.ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(startTicks);
        foreach (var thread in threads) thread.Join();
        system.Stop(receiver);
        return new TellThroughputResult(messages, senders, elapsed, Environment.ProcessorCount);
    }

    private sealed class CountingActor(long expected, TaskCompletionSource done) : UntypedActor
    {
        private long _count;

        protected override void OnReceive(object message)
        {
            if (++_count == expected) done.TrySetResult();
        }
    }
}
