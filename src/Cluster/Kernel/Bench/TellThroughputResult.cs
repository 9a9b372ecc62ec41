namespace ActorTrain.Cluster.Kernel;

/// <summary>The outcome of one <see cref="TellThroughputBench"/> run.</summary>
/// <param name="Messages">Messages delivered to the receiving actor.</param>
/// <param name="Senders">Threads telling concurrently.</param>
/// <param name="Elapsed">From the first Tell until the actor processed the last message.</param>
/// <param name="ProcessorCount">Logical cores of the machine.</param>
public sealed record TellThroughputResult(long Messages, int Senders, TimeSpan Elapsed, int ProcessorCount)
{
    /// <summary>Messages processed per second.</summary>
    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Messages:N0} messages from {Senders} sender(s) in {Elapsed.TotalSeconds:0.000} s = {MessagesPerSecond / 1e6:0.00} M msg/s on {ProcessorCount} cores";
}
