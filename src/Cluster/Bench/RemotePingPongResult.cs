namespace ActorTrain.Cluster.Bench;

/// <summary>What one ping-pong run measured.</summary>
/// <param name="RoundTrips">Round trips over all pairs.</param>
/// <param name="Elapsed">Wall time of the measured run.</param>
public sealed record RemotePingPongResult(long RoundTrips, TimeSpan Elapsed)
{
    /// <summary>Requests plus replies per second.</summary>
    public double MessagesPerSecond => 2.0 * RoundTrips / Elapsed.TotalSeconds;
}
