using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class SchedulerTests : KernelTestBase
{
    [Fact]
    public void ScheduleTellOnce_delivers_once_after_the_delay()
    {
        var probe = CreateProbe();
        System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), probe.Ref, "tick", null);
        probe.ExpectMsg("tick");
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void ScheduleTellOnce_does_not_deliver_before_the_delay()
    {
        // Measured against a stopwatch rather than with ExpectNoMsg: on a loaded machine the probe's own wait can
        // overrun, which says nothing about the scheduler delivering early.
        var probe = CreateProbe();
        var clock = global::System.Diagnostics.Stopwatch.StartNew();
        System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(400), probe.Ref, "late", null);
        probe.ExpectMsg("late", TimeSpan.FromSeconds(10));
        Assert.True(clock.ElapsedMilliseconds >= 395, $"delivered after {clock.ElapsedMilliseconds} ms, before the 400 ms delay");
    }

    [Fact]
    public void ScheduleTellRepeatedly_delivers_until_canceled()
    {
        var probe = CreateProbe();
        var cancelable = System.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), probe.Ref, "tick", probe.Ref);
        for (int i = 0; i < 3; i++) probe.ExpectMsg("tick");
        cancelable.Cancel();
        Assert.True(cancelable.IsCancellationRequested);
        Thread.Sleep(50); // a tick already in flight when Cancel ran may still arrive
        probe.DrainAll();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public void Canceled_before_the_delay_never_delivers()
    {
        var probe = CreateProbe();
        System.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), probe.Ref, "never", null).Cancel();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ScheduleOnce_runs_the_action()
    {
        var ran = new ManualResetEventSlim();
        System.Scheduler.ScheduleOnce(TimeSpan.FromMilliseconds(10), ran.Set);
        Assert.True(ran.Wait(Timeout));
    }

    [Fact]
    public async Task Scheduled_deliveries_stop_when_the_system_terminates()
    {
        var probe = CreateProbe();
        var cancelable = System.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), probe.Ref, "tick", null);
        probe.ExpectMsg("tick");
        await System.Terminate();
        Assert.True(cancelable.IsCancellationRequested);
    }
}
