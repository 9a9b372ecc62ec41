using System.Collections.Concurrent;
using ActorTrain.Actors.Monitoring;
using ActorTrain.Actors.Reporting;
using Akka.Actor;

namespace ActorTrain.Actors.Dashboard;

/// <summary>
/// <c>/user/dashboard-reporter</c> on every node of a job with the dashboard on: twice a second it sends the job
/// coordinator (through its singleton proxy) this node's ranks' progress (<see cref="RankProgress"/>, per-rank mean step
/// time since the last report) and, on rank 0's node, rank 0's training events queued since (<see cref="RunEvents"/>).
/// Nothing is sent while nothing changed.
/// </summary>
public sealed class DashboardReporter : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "dashboard-reporter";

    /// <summary>How often a node reports.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private const int MaxEventsPerReport = 500;

    private readonly IActorRef _coordinator;
    private readonly string _nodeAddress;
    private readonly RankStepStats _stats;
    private readonly ConcurrentQueue<RunEvent> _events;
    private readonly Dictionary<int, RankStepStats.Snapshot> _previous = new();
    private ICancelable? _timer;

    /// <summary>Creates the reporter of node <paramref name="nodeAddress"/>.</summary>
    public DashboardReporter(IActorRef coordinator, string nodeAddress, RankStepStats stats, ConcurrentQueue<RunEvent> events)
    {
        _coordinator = coordinator;
        _nodeAddress = nodeAddress;
        _stats = stats;
        _events = events;
        Receive<Tick>(_ => Report());
    }

    /// <summary>Props for <see cref="DashboardReporter"/>.</summary>
    public static Props Props(IActorRef coordinator, string nodeAddress, RankStepStats stats, ConcurrentQueue<RunEvent> events) =>
        Akka.Actor.Props.Create(() => new DashboardReporter(coordinator, nodeAddress, stats, events));

    /// <summary>Turns one of rank 0's training events into the dashboard's form.</summary>
    public static RunEvent ToRunEvent(TrainingEvent e) =>
        new(e.Kind, e.Step, e.TotalSteps, e.Loss, e.TokensPerSecond, e.ValidationLoss, e.Message, e.ElapsedSeconds);

    /// <inheritdoc />
    protected override void PreStart() =>
        _timer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(Interval, Interval, Self, Tick.Instance, Self);

    /// <inheritdoc />
    protected override void PostStop()
    {
        _timer?.Cancel();
        Report(); // the last events (the end of the run) still go out
    }

    private void Report()
    {
        var entries = new List<RankProgressEntry>();
        foreach (var now in _stats.Read())
        {
            _previous.TryGetValue(now.Rank, out var before);
            if (before is not null && before.Steps == now.Steps) continue;
            long steps = now.Steps - (before?.Steps ?? 0);
            double seconds = now.StepSeconds - (before?.StepSeconds ?? 0);
            double wait = now.SyncWaitSeconds - (before?.SyncWaitSeconds ?? 0);
            long tokens = now.Tokens - (before?.Tokens ?? 0);
            entries.Add(new RankProgressEntry(now.Rank, now.LastStep, seconds / steps, wait / steps, seconds > 0 ? tokens / seconds : 0));
            _previous[now.Rank] = now;
        }
        if (entries.Count > 0) _coordinator.Tell(new RankProgress(_nodeAddress, [.. entries]));

        var events = new List<RunEvent>();
        while (events.Count < MaxEventsPerReport && _events.TryDequeue(out var e)) events.Add(e);
        if (events.Count > 0) _coordinator.Tell(new RunEvents([.. events]));
    }

    private sealed class Tick : INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }
}
