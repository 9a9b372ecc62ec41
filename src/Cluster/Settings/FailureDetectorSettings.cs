namespace ActorTrain.Cluster.Settings;

/// <summary><c>actortrain.cluster.failure-detector</c>: the phi-accrual heartbeat failure detector (Akka's defaults).</summary>
public sealed record FailureDetectorSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.cluster.failure-detector";

    /// <summary>How often heartbeats are sent (&gt; 0).</summary>
    public TimeSpan HeartbeatInterval { get; init; }

    /// <summary>Phi above which a node is unreachable (&gt; 0).</summary>
    public double Threshold { get; init; }

    /// <summary>Heartbeat pause tolerated on top of the observed interval (&gt;= 0).</summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; }

    /// <summary>Lower bound of the interval's standard deviation (&gt; 0).</summary>
    public TimeSpan MinStdDeviation { get; init; }

    /// <summary>Heartbeat intervals kept for the estimate (&gt;= 1).</summary>
    public int MaxSampleSize { get; init; }

    /// <summary>Time after which a missing first heartbeat counts as missed (&gt; 0).</summary>
    public TimeSpan ExpectedResponseAfter { get; init; }

    /// <summary>Reads and validates the section; errors go to <paramref name="reader"/>.</summary>
    public static FailureDetectorSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        return new FailureDetectorSettings
        {
            HeartbeatInterval = reader.PositiveDuration(p + "heartbeat-interval"),
            Threshold = reader.Double(p + "threshold", min: 0, minExclusive: true),
            AcceptableHeartbeatPause = reader.Duration(p + "acceptable-heartbeat-pause", TimeSpan.Zero),
            MinStdDeviation = reader.PositiveDuration(p + "min-std-deviation"),
            MaxSampleSize = reader.Int(p + "max-sample-size", min: 1),
            ExpectedResponseAfter = reader.PositiveDuration(p + "expected-response-after"),
        };
    }
}
