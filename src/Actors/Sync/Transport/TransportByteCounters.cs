namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Data-plane bytes this process sent and received, per transport ("tcp", "shared-memory", "akka"): one
/// <see cref="Interlocked.Add(ref long, long)"/> per frame (never per element), read by the node's Prometheus metrics.
/// Payload bytes only (frame headers and the side connection are not counted). The shared-memory arena all-reduce of
/// co-located ranks has no links (each rank reads the others' slots) and is not counted here.
/// </summary>
public static class TransportByteCounters
{
    private static long _tcpSent, _tcpReceived, _sharedSent, _sharedReceived, _akkaSent, _akkaReceived;

    /// <summary>The transports counted, as their <see cref="IDataChannel.Kind"/>.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["tcp", "shared-memory", "akka"];

    /// <summary>Counts <paramref name="bytes"/> sent over a channel of <paramref name="kind"/>.</summary>
    public static void AddSent(string kind, long bytes)
    {
        switch (kind)
        {
            case "tcp": Interlocked.Add(ref _tcpSent, bytes); break;
            case "shared-memory": Interlocked.Add(ref _sharedSent, bytes); break;
            case "akka": Interlocked.Add(ref _akkaSent, bytes); break;
        }
    }

    /// <summary>Counts <paramref name="bytes"/> received over a channel of <paramref name="kind"/>.</summary>
    public static void AddReceived(string kind, long bytes)
    {
        switch (kind)
        {
            case "tcp": Interlocked.Add(ref _tcpReceived, bytes); break;
            case "shared-memory": Interlocked.Add(ref _sharedReceived, bytes); break;
            case "akka": Interlocked.Add(ref _akkaReceived, bytes); break;
        }
    }

    /// <summary>Bytes sent so far over <paramref name="kind"/>.</summary>
    public static long Sent(string kind) => kind switch
    {
        "tcp" => Interlocked.Read(ref _tcpSent),
        "shared-memory" => Interlocked.Read(ref _sharedSent),
        "akka" => Interlocked.Read(ref _akkaSent),
        _ => 0,
    };

    /// <summary>Bytes received so far over <paramref name="kind"/>.</summary>
    public static long Received(string kind) => kind switch
    {
        "tcp" => Interlocked.Read(ref _tcpReceived),
        "shared-memory" => Interlocked.Read(ref _sharedReceived),
        "akka" => Interlocked.Read(ref _akkaReceived),
        _ => 0,
    };
}
