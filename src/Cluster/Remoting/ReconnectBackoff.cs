namespace ActorTrain.Cluster.Remoting;

/// <summary>Exponential reconnect delay: min, 2·min, 4·min, … capped at max.</summary>
public static class ReconnectBackoff
{
    /// <summary>Delay before attempt number <paramref name="failedAttempts"/> + 1 (after that many failures, ≥ 1).</summary>
    public static TimeSpan Delay(int failedAttempts, TimeSpan min, TimeSpan max)
    {
        if (failedAttempts <= 1) return min;
        int shift = Math.Min(failedAttempts - 1, 30);
        double ticks = min.Ticks * Math.Pow(2, shift);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
