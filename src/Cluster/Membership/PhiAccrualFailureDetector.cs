namespace ActorTrain.Cluster.Membership;

/// <summary>
/// Akka's phi-accrual failure detector (Hayashibara et al.), same formula, bootstrap and defaults.
/// <para>
/// It keeps the last <c>maxSampleSize</c> heartbeat intervals. φ(t) = −log10(P(a heartbeat arrives later than t))
/// under a normal distribution with the intervals' mean + <c>acceptableHeartbeatPause</c> and their standard
/// deviation (at least <c>minStdDeviation</c>), using Akka's logistic approximation of the normal CDF:
/// y = (t − mean) / σ, e = exp(−y (1.5976 + 0.070566 y²)), φ = −log10(e / (1 + e)) if t &gt; mean else
/// −log10(1 − 1 / (1 + e)). The resource is available while φ &lt; <c>threshold</c>.
/// </para>
/// <para>
/// The first heartbeat seeds the history with firstHeartbeatEstimate ± firstHeartbeatEstimate/4 (mean = estimate,
/// σ = estimate/4). An interval that ends a period where φ already exceeded the threshold is not recorded, so a
/// long pause does not skew the statistics. With Akka's cluster defaults (heartbeat 1 s, threshold 8, pause 3 s,
/// min σ 100 ms) and steady 1 s heartbeats, φ crosses 8 about 4523 ms after the last heartbeat.
/// </para>
/// Thread-safe: heartbeats and queries may come from different threads.
/// </summary>
public sealed class PhiAccrualFailureDetector : IFailureDetector
{
    private readonly object _gate = new();
    private readonly IClock _clock;
    private readonly double _minStdDeviationMillis;
    private readonly double _acceptableHeartbeatPauseMillis;
    private readonly double _firstHeartbeatEstimateMillis;
    private readonly long[] _intervals;
    private int _intervalStart;
    private int _intervalCount;
    private double _intervalSum;
    private double _squaredIntervalSum;
    private long? _lastHeartbeat;

    /// <summary>Creates a detector; null arguments take Akka's cluster defaults.</summary>
    /// <param name="threshold">φ at or above which the resource is unavailable (default 8.0).</param>
    /// <param name="maxSampleSize">Intervals kept (default 1000).</param>
    /// <param name="minStdDeviation">Lower bound on σ, so perfectly regular heartbeats do not make φ explode (default 100 ms).</param>
    /// <param name="acceptableHeartbeatPause">Pause tolerated on top of the mean interval, e.g. for GC (default 3 s).</param>
    /// <param name="firstHeartbeatEstimate">The expected interval before any is measured: the heartbeat interval (default 1 s).</param>
    /// <param name="clock">Monotonic clock (default <see cref="SystemClock.Instance"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive (pause may be zero); the message names it.</exception>
    public PhiAccrualFailureDetector(
        double threshold = 8.0,
        int maxSampleSize = 1000,
        TimeSpan? minStdDeviation = null,
        TimeSpan? acceptableHeartbeatPause = null,
        TimeSpan? firstHeartbeatEstimate = null,
        IClock? clock = null)
    {
        var minStd = minStdDeviation ?? TimeSpan.FromMilliseconds(100);
        var pause = acceptableHeartbeatPause ?? TimeSpan.FromSeconds(3);
        var first = firstHeartbeatEstimate ?? TimeSpan.FromSeconds(1);
        if (!(threshold > 0)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The failure detector threshold must be > 0.");
        if (maxSampleSize <= 0) throw new ArgumentOutOfRangeException(nameof(maxSampleSize), maxSampleSize, "max-sample-size must be > 0.");
        if (minStd <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(minStdDeviation), minStd, "min-std-deviation must be > 0.");
        if (pause < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(acceptableHeartbeatPause), pause, "acceptable-heartbeat-pause must be >= 0.");
        if (first <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(firstHeartbeatEstimate), first, "The first heartbeat estimate (heartbeat-interval) must be > 0.");
        Threshold = threshold;
        MaxSampleSize = maxSampleSize;
        _minStdDeviationMillis = (long)minStd.TotalMilliseconds;
        _acceptableHeartbeatPauseMillis = (long)pause.TotalMilliseconds;
        _firstHeartbeatEstimateMillis = (long)first.TotalMilliseconds;
        _clock = clock ?? SystemClock.Instance;
        _intervals = new long[maxSampleSize];
    }

    /// <summary>φ at or above which the resource counts as unavailable.</summary>
    public double Threshold { get; }

    /// <summary>How many intervals the history keeps.</summary>
    public int MaxSampleSize { get; }

    /// <inheritdoc />
    public bool IsAvailable => PhiAt(_clock.NowMilliseconds) < Threshold;

    /// <inheritdoc />
    public bool IsMonitoring
    {
        get
        {
            lock (_gate) return _lastHeartbeat.HasValue;
        }
    }

    /// <summary>The current suspicion level φ (0 before the first heartbeat).</summary>
    public double Phi => PhiAt(_clock.NowMilliseconds);

    /// <inheritdoc />
    public void Heartbeat()
    {
        long now = _clock.NowMilliseconds;
        lock (_gate)
        {
            if (_lastHeartbeat is not { } last)
            {
                SeedHistory();
            }
            else if (PhiLocked(now) < Threshold)
            {
                // The first heartbeat after a failure is not a sample: the long pause would skew mean and σ.
                AddInterval(now - last);
            }
            _lastHeartbeat = now;
        }
    }

    /// <summary>φ at <paramref name="timestampMillis"/> on this detector's clock.</summary>
    public double PhiAt(long timestampMillis)
    {
        lock (_gate) return PhiLocked(timestampMillis);
    }

    /// <summary>
    /// Akka's φ for a heartbeat that is <paramref name="timeDiffMillis"/> late, given the expected interval
    /// <paramref name="meanMillis"/> (mean plus acceptable pause) and <paramref name="stdDeviationMillis"/>.
    /// </summary>
    public static double ComputePhi(double timeDiffMillis, double meanMillis, double stdDeviationMillis)
    {
        double y = (timeDiffMillis - meanMillis) / stdDeviationMillis;
        double e = Math.Exp(-y * (1.5976 + 0.070566 * y * y));
        return timeDiffMillis > meanMillis
            ? -Math.Log10(e / (1.0 + e))
            : -Math.Log10(1.0 - 1.0 / (1.0 + e));
    }

    private double PhiLocked(long timestampMillis)
    {
        if (_lastHeartbeat is not { } last) return 0.0; // never heard from: treated as healthy, as in Akka
        double mean = _intervalSum / _intervalCount;
        double variance = _squaredIntervalSum / _intervalCount - mean * mean;
        double stdDeviation = Math.Max(Math.Sqrt(Math.Max(variance, 0.0)), _minStdDeviationMillis);
        return ComputePhi(timestampMillis - last, mean + _acceptableHeartbeatPauseMillis, stdDeviation);
    }

    private void SeedHistory()
    {
        _intervalStart = 0;
        _intervalCount = 0;
        _intervalSum = 0;
        _squaredIntervalSum = 0;
        long mean = (long)_firstHeartbeatEstimateMillis;
        long stdDeviation = mean / 4;
        AddInterval(mean - stdDeviation);
        AddInterval(mean + stdDeviation);
    }

    private void AddInterval(long interval)
    {
        if (_intervalCount == _intervals.Length)
        {
            long oldest = _intervals[_intervalStart];
            _intervalSum -= oldest;
            _squaredIntervalSum -= (double)oldest * oldest;
            _intervals[_intervalStart] = interval;
            _intervalStart = (_intervalStart + 1) % _intervals.Length;
        }
        else
        {
            _intervals[(_intervalStart + _intervalCount) % _intervals.Length] = interval;
            _intervalCount++;
        }
        _intervalSum += interval;
        _squaredIntervalSum += (double)interval * interval;
    }
}
