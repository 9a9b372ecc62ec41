using System.Diagnostics;
using System.Runtime.CompilerServices;
using Akka.Event;
using Akka.Remote;
using AkkaConfiguration = Akka.Configuration.Config;

namespace ActorTrain.Cluster.Node;

/// <summary>
/// Akka's phi-accrual detector (decisions unchanged) that also remembers when the last heartbeat arrived, so that a
/// failure report can say how long a node has really been silent. Configured as
/// <c>akka.cluster.failure-detector.implementation-class</c>.
/// </summary>
public sealed class TimedFailureDetector : FailureDetector
{
    private readonly PhiAccrualFailureDetector _phi;
    private static readonly ConditionalWeakTable<TimedFailureDetector, object> Live = new();
    private static readonly object Marker = new();
    private long _lastHeartbeat = -1;

    /// <summary>Created by Akka with the failure-detector config section.</summary>
    public TimedFailureDetector(AkkaConfiguration config, EventStream eventStream)
    {
        _phi = new PhiAccrualFailureDetector(config, eventStream);
        Live.AddOrUpdate(this, Marker);
    }

    /// <inheritdoc />
    public override bool IsAvailable => _phi.IsAvailable;

    /// <inheritdoc />
    public override bool IsMonitoring => _phi.IsMonitoring;

    /// <inheritdoc />
    public override void HeartBeat()
    {
        Interlocked.Exchange(ref _lastHeartbeat, Stopwatch.GetTimestamp());
        _phi.HeartBeat();
    }

    /// <summary>Time since the last heartbeat, or null before the first.</summary>
    public TimeSpan? Silence => Interlocked.Read(ref _lastHeartbeat) is var t && t >= 0 ? Stopwatch.GetElapsedTime(t) : null;

    /// <summary>
    /// How long the node that this process's detectors currently judge unavailable has been silent: Akka keeps its
    /// detectors by address internally, so this looks at every live detector of the process and answers only when
    /// exactly one judges its node unavailable (the usual case when a node is reported unreachable); otherwise null.
    /// </summary>
    public static TimeSpan? SilenceOfTheUnavailableNode()
    {
        TimeSpan? found = null;
        int unavailable = 0;
        foreach (var (detector, _) in Live)
        {
            if (!detector.IsMonitoring || detector.IsAvailable) continue;
            unavailable++;
            found = detector.Silence;
        }
        return unavailable == 1 ? found : null;
    }
}
