using Xunit;
using ActorTrain.Cluster.Membership;
using FsCheck;
using FsCheck.Fluent;

namespace ActorTrain.Cluster.Tests.Membership;

public sealed class PhiAccrualFailureDetectorTests
{
    private sealed class FakeClock : IClock
    {
        public long NowMilliseconds { get; set; }

        public void Advance(long milliseconds) => NowMilliseconds += milliseconds;
    }

    /// <summary>Akka's cluster defaults: heartbeat 1 s, threshold 8, pause 3 s, min σ 100 ms, 1000 samples.</summary>
    private static PhiAccrualFailureDetector Defaults(FakeClock clock) => new(clock: clock);

    private static void RegularHeartbeats(PhiAccrualFailureDetector detector, FakeClock clock, int count, long intervalMillis = 1000)
    {
        for (int i = 0; i < count; i++)
        {
            if (i > 0) clock.Advance(intervalMillis);
            detector.Heartbeat();
        }
    }

    [Fact]
    public void Unmonitored_resource_has_phi_zero_and_is_available()
    {
        var clock = new FakeClock { NowMilliseconds = 123_456 };
        var detector = Defaults(clock);
        clock.Advance(60_000);
        Assert.Equal(0.0, detector.Phi);
        Assert.True(detector.IsAvailable);
        Assert.False(detector.IsMonitoring);
    }

    [Fact]
    public void Regular_heartbeats_keep_the_resource_available()
    {
        var clock = new FakeClock();
        var detector = Defaults(clock);
        for (int i = 0; i < 200; i++)
        {
            detector.Heartbeat();
            Assert.True(detector.IsMonitoring);
            clock.Advance(1000 + (i % 7) * 10 - 30); // a little jitter
            Assert.True(detector.IsAvailable, $"unavailable after heartbeat {i}, phi {detector.Phi}");
        }
    }

    [Fact]
    public void Phi_rises_with_time_since_the_last_heartbeat()
    {
        var clock = new FakeClock();
        var detector = Defaults(clock);
        RegularHeartbeats(detector, clock, 20);
        double previous = detector.Phi;
        for (int i = 0; i < 60; i++)
        {
            clock.Advance(100);
            double phi = detector.Phi;
            Assert.True(phi >= previous, $"phi fell from {previous} to {phi} at +{(i + 1) * 100} ms");
            previous = phi;
        }
        Assert.True(previous > 8.0);
    }

    [Fact]
    public void Phi_never_decreases_as_time_passes_for_any_heartbeat_history()
    {
        var intervals = Gen.Choose(1, 5000).ArrayOf().Where(a => a.Length > 0).ToArbitrary();
        Prop.ForAll(intervals, Gen.Choose(1, 2000).ToArbitrary(), (history, step) =>
        {
            var clock = new FakeClock();
            var detector = Defaults(clock);
            detector.Heartbeat();
            foreach (int interval in history)
            {
                clock.Advance(interval);
                detector.Heartbeat();
            }
            long last = clock.NowMilliseconds;
            double previous = 0;
            for (long t = last; t < last + 20_000; t += step)
            {
                double phi = detector.PhiAt(t);
                if (phi < previous || double.IsNaN(phi)) return false;
                previous = phi;
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    /// <summary>
    /// The bound the multi-process test relies on. With Akka defaults and steady 1 s heartbeats the history's σ drops
    /// below min-std-deviation once it holds ≥ 13 samples (bootstrap 750 ms and 1250 ms plus ≥ 11 measured intervals:
    /// variance = 2·250² / n &lt; 100² for n &gt; 12.5), so φ(t) uses mean = 1000 + 3000 = 4000 ms and σ = 100 ms.
    /// φ = 8 solves y (1.5976 + 0.070566 y²) = ln(10⁸ − 1) ≈ 18.4207, y ≈ 5.2261, so t ≈ 4000 + 522.6 ms:
    /// φ(4522 ms) = 7.9808 (available), φ(4523 ms) = 8.0129 (unavailable).
    /// With a fresh history (one heartbeat only, σ = 250 ms) it flips at 5307 ms instead. A node killed right after
    /// its last heartbeat is therefore reported unreachable between 4.53 s and 5.31 s later, plus the time until the
    /// next unreachability check runs.
    /// </summary>
    [Fact]
    public void Default_settings_flip_to_unavailable_4523_ms_after_the_last_regular_heartbeat()
    {
        var clock = new FakeClock();
        var detector = Defaults(clock);
        RegularHeartbeats(detector, clock, 12); // 11 measured intervals
        long last = clock.NowMilliseconds;
        Assert.Equal(7.980831357387225, detector.PhiAt(last + 4522), 9);
        Assert.Equal(8.012869649581168, detector.PhiAt(last + 4523), 9);
        clock.NowMilliseconds = last + 4522;
        Assert.True(detector.IsAvailable);
        clock.NowMilliseconds = last + 4523;
        Assert.False(detector.IsAvailable);
    }

    [Fact]
    public void Default_settings_after_a_single_heartbeat_flip_at_5307_ms()
    {
        var clock = new FakeClock();
        var detector = Defaults(clock);
        detector.Heartbeat();
        Assert.True(detector.PhiAt(5306) < 8.0);
        Assert.True(detector.PhiAt(5307) >= 8.0);
    }

    [Theory] // Akka's PhiAccrualFailureDetectorSpec "return realistic phi values" (mean 1000 ms, σ 100 ms), ±0.1 there
    [InlineData(0, 0.0)]
    [InlineData(500, 2.1768922219645073e-08)]
    [InlineData(1000, 0.3010299956639812)]
    [InlineData(1200, 1.6428278854871123)]
    [InlineData(1400, 4.736694582705181)]
    [InlineData(1600, 10.782600858295707)]
    [InlineData(1700, 15.368525622645256)]
    public void Phi_formula_matches_Akkas_logistic_approximation(double timeDiff, double expected)
    {
        Assert.Equal(expected, PhiAccrualFailureDetector.ComputePhi(timeDiff, 1000.0, 100.0), 12);
    }

    [Fact]
    public void Phi_for_a_known_heartbeat_sequence_matches_the_hand_computed_values()
    {
        // Heartbeats at 0, 1000, 2000 ms → intervals {750, 1250 (bootstrap), 1000, 1000}: mean 1000,
        // variance (750² + 1250² + 1000² + 1000²)/4 − 1000² = 31250, σ = 176.7767 ms; expected gap = 1000 + 3000.
        // φ(d) = −log10(e/(1+e)) for d > 4000 else −log10(1 − 1/(1+e)), e = exp(−y(1.5976 + 0.070566 y²)), y = (d − 4000)/σ.
        var clock = new FakeClock();
        var detector = Defaults(clock);
        RegularHeartbeats(detector, clock, 3);
        long last = clock.NowMilliseconds;
        Assert.Equal(1.46318804799605e-10, detector.PhiAt(last + 3000), 15);
        Assert.Equal(0.3010299956639812, detector.PhiAt(last + 4000), 12);
        Assert.Equal(2.656851905472509, detector.PhiAt(last + 4500), 12);
        Assert.Equal(9.472484156489791, detector.PhiAt(last + 5000), 12);
    }

    [Fact]
    public void Phi_from_the_first_heartbeat_estimate_matches_Akkas_spec()
    {
        // Akka spec "return phi based on guess when only one heartbeat": no pause, min σ 10 ms, estimate 1 s.
        var clock = new FakeClock();
        var detector = new PhiAccrualFailureDetector(minStdDeviation: TimeSpan.FromMilliseconds(10),
            acceptableHeartbeatPause: TimeSpan.Zero, clock: clock);
        detector.Heartbeat();
        Assert.Equal(0.3010299956639812, detector.PhiAt(1000), 12);
        Assert.Equal(4.736694582705181, detector.PhiAt(2000), 12);
        Assert.Equal(21.241600212221336, detector.PhiAt(3000), 9);
    }

    [Fact]
    public void Heartbeat_that_ends_a_failure_is_not_added_to_the_history()
    {
        var steadyClock = new FakeClock();
        var steady = Defaults(steadyClock);
        RegularHeartbeats(steady, steadyClock, 20);

        var pausedClock = new FakeClock();
        var paused = Defaults(pausedClock);
        RegularHeartbeats(paused, pausedClock, 20);
        pausedClock.Advance(30_000);
        Assert.False(paused.IsAvailable);
        paused.Heartbeat(); // back: the 30 s gap must not become a sample

        foreach (long d in new long[] { 500, 1000, 4000, 4500, 5000 })
            Assert.Equal(steady.PhiAt(steadyClock.NowMilliseconds + d), paused.PhiAt(pausedClock.NowMilliseconds + d), 12);
        pausedClock.Advance(1000);
        Assert.True(paused.IsAvailable);
    }

    [Fact]
    public void History_keeps_only_the_newest_max_sample_size_intervals()
    {
        var clock = new FakeClock();
        var detector = new PhiAccrualFailureDetector(maxSampleSize: 3, clock: clock);
        RegularHeartbeats(detector, clock, 4); // bootstrap samples pushed out by three 1000 ms intervals: σ = 0 → min σ
        long last = clock.NowMilliseconds;
        Assert.Equal(PhiAccrualFailureDetector.ComputePhi(4400, 4000, 100), detector.PhiAt(last + 4400), 12);
    }

    [Theory]
    [InlineData("threshold")]
    [InlineData("maxSampleSize")]
    [InlineData("minStdDeviation")]
    [InlineData("acceptableHeartbeatPause")]
    [InlineData("firstHeartbeatEstimate")]
    public void Invalid_setting_is_rejected_naming_the_parameter(string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => parameter switch
        {
            "threshold" => new PhiAccrualFailureDetector(threshold: 0),
            "maxSampleSize" => new PhiAccrualFailureDetector(maxSampleSize: 0),
            "minStdDeviation" => new PhiAccrualFailureDetector(minStdDeviation: TimeSpan.Zero),
            "acceptableHeartbeatPause" => new PhiAccrualFailureDetector(acceptableHeartbeatPause: TimeSpan.FromSeconds(-1)),
            _ => new PhiAccrualFailureDetector(firstHeartbeatEstimate: TimeSpan.Zero),
        });
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Registry_monitors_each_node_separately_and_forgets_removed_nodes()
    {
        var clock = new FakeClock();
        var registry = new FailureDetectorRegistry<string>(() => Defaults(clock));
        Assert.True(registry.IsAvailable("a"));
        Assert.False(registry.IsMonitoring("a"));
        for (int i = 0; i < 15; i++)
        {
            registry.Heartbeat("a");
            registry.Heartbeat("b");
            clock.Advance(1000);
        }
        clock.Advance(2000);
        registry.Heartbeat("b");
        clock.Advance(3000); // a: 6 s since its last heartbeat, b: 3 s
        Assert.False(registry.IsAvailable("a"));
        Assert.True(registry.IsAvailable("b"));
        Assert.Equal(["a", "b"], registry.MonitoredNodes.Order());
        registry.Remove("a");
        Assert.True(registry.IsAvailable("a"));
        Assert.False(registry.IsMonitoring("a"));
        Assert.Null(registry.Get("a"));
        registry.Reset();
        Assert.False(registry.IsMonitoring("b"));
    }
}
