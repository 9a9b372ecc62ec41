using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Kernel;

/// <summary><see cref="IScheduler"/> on <see cref="System.Threading.Timer"/> (the runtime's shared timer queue).</summary>
internal sealed class TimerScheduler : IScheduler, IDisposable
{
    private readonly ConcurrentDictionary<ScheduledItem, byte> _active = new();
    private readonly ILogger _log;
    private volatile bool _disposed;

    public TimerScheduler(ILogger log)
    {
        _log = log;
    }

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        return Start(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender));
    }

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The repeat interval must be positive.");
        return Start(initialDelay, interval, () => receiver.Tell(message, sender));
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Start(delay, Timeout.InfiniteTimeSpan, action);
    }

    private ScheduledItem Start(TimeSpan delay, TimeSpan period, Action action)
    {
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        var item = new ScheduledItem(this, action, period != Timeout.InfiniteTimeSpan);
        if (_disposed)
        {
            item.Cancel();
            return item;
        }
        _active[item] = 0;
        item.Arm(delay, period);
        if (_disposed) item.Cancel(); // raced with shutdown
        return item;
    }

    private void Remove(ScheduledItem item) => _active.TryRemove(item, out _);

    public void Dispose()
    {
        _disposed = true;
        foreach (var item in _active.Keys) item.Cancel();
    }

    private sealed class ScheduledItem(TimerScheduler owner, Action action, bool repeating) : ICancelable
    {
        private Timer? _timer;
        private volatile bool _canceled;

        public bool IsCancellationRequested => _canceled;

        public void Arm(TimeSpan delay, TimeSpan period)
        {
            _timer = new Timer(static state => ((ScheduledItem)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(delay, period);
            if (_canceled) _timer.Dispose();
        }

        private void Fire()
        {
            if (_canceled) return;
            try
            {
                action();
            }
            catch (Exception e)
            {
                owner._log.LogError(e, "A scheduled action threw; it is {State}", repeating ? "still scheduled" : "dropped");
            }
            if (!repeating) Cancel();
        }

        public void Cancel()
        {
            _canceled = true;
            _timer?.Dispose();
            owner.Remove(this);
        }
    }
}
