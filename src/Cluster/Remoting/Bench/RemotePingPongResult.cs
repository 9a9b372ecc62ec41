namespace ActorTrain.Cluster.Remoting.Bench;

/// <summary>Outcome of a remote ping-pong run.</summary>
/// <param name="RoundTrips">Request-reply pairs completed.</param>
/// <param name="Pairs">Concurrent pinger/ponger pairs.</param>
/// <param name="Window">Requests in flight per pair.</param>
/// <param name="Elapsed">Wall time of the measured phase.</param>
public sealed record RemotePingPongResult(long RoundTrips, int Pairs, int Window, TimeSpan Elapsed)
{
    /// <summary>Remote messages per second, counting request and reply (as Akka's RemotePingPong does).</summary>
    public double MessagesPerSecond => 2 * RoundTrips / Elapsed.TotalSeconds;

    /// <summary>Round trips per second.</summary>
    public double RoundTripsPerSecond => RoundTrips / Elapsed.TotalSeconds;

    /// <inheritdoc />
    public override string ToString() =>
        $"{RoundTrips:N0} round trips over {Pairs} pair(s), window {Window}, in {Elapsed.TotalSeconds:F2} s: " +
        $"{MessagesPerSecond:N0} msgs/s ({RoundTripsPerSecond:N0} round trips/s) on {Environment.ProcessorCount} cores";
}
