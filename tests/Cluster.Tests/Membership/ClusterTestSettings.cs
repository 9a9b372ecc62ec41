using ActorTrain.Cluster.Settings;

namespace ActorTrain.Cluster.Tests.Membership;

/// <summary>Fast cluster settings for in-process tests (heartbeats every 100 ms instead of 1 s).</summary>
internal static class ClusterTestSettings
{
    public static readonly FailureDetectorSettings Detector = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        Threshold = 8.0,
        AcceptableHeartbeatPause = TimeSpan.FromMilliseconds(300),
        MinStdDeviation = TimeSpan.FromMilliseconds(50),
        MaxSampleSize = 1000,
        ExpectedResponseAfter = TimeSpan.FromMilliseconds(500),
    };

    public static ClusterSettings Cluster(int port, IEnumerable<int> seedPorts, int minNrOfMembers = 1, string? secret = null) => new()
    {
        SystemName = "cluster-test",
        Hostname = "127.0.0.1",
        Port = port,
        SeedNodes = seedPorts.Select(p => $"actortrain://cluster-test@127.0.0.1:{p}").ToList(),
        SeedNodeTimeout = TimeSpan.FromSeconds(1),
        MinNrOfMembers = minNrOfMembers,
        Secret = secret ?? "",
        GossipInterval = TimeSpan.FromMilliseconds(100),
        UnreachableNodesReaperInterval = TimeSpan.FromMilliseconds(100),
        DownRemovalMargin = TimeSpan.Zero,
        FailureDetector = Detector,
    };

    public static readonly RemoteSettings Remote = new()
    {
        MaximumFrameSize = 16 << 20,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        HandshakeTimeout = TimeSpan.FromSeconds(2),
        ReconnectBackoffMin = TimeSpan.FromMilliseconds(50),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(500),
        SendBufferSize = 1 << 20,
        ReceiveBufferSize = 1 << 20,
        AskTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// Upper bound for a crashed node to be marked unreachable: φ passes the threshold a little after
    /// interval + pause + a few σ (Akka's rule of thumb), then the next reaper tick publishes it. Ten σ and one second
    /// of scheduling slack keep the bound safe on a loaded 2-core machine.
    /// </summary>
    public static TimeSpan UnreachableBound =>
        Detector.HeartbeatInterval + Detector.AcceptableHeartbeatPause + 10 * Detector.MinStdDeviation
        + 2 * TimeSpan.FromMilliseconds(100) + TimeSpan.FromSeconds(1);
}
