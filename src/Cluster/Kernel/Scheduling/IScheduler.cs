namespace ActorTrain.Cluster.Kernel;

/// <summary>Timed message delivery (Akka's scheduler). Timing precision is that of the OS timer (about 1–15 ms).</summary>
public interface IScheduler
{
    /// <summary>Tells <paramref name="message"/> to <paramref name="receiver"/> once after <paramref name="delay"/>.</summary>
    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Tells <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/> until canceled.</summary>
    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> on a pool thread once after <paramref name="delay"/> (not on any actor's turn).</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);
}
