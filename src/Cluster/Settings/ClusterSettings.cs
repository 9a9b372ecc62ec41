using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary><c>actortrain.cluster</c>: this node's identity and seed-node membership (Akka.Cluster's keys).</summary>
public sealed record ClusterSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.cluster";

    /// <summary>Actor system name; the same on every node ([A-Za-z0-9_-]+).</summary>
    public string SystemName { get; init; } = "";

    /// <summary>Host this node binds to and advertises.</summary>
    public string Hostname { get; init; } = "";

    /// <summary>TCP port (0..65535, 0 = pick a free one).</summary>
    public int Port { get; init; }

    /// <summary>Seed node addresses ("actortrain://system@host:port"), validated and in config order.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = Array.Empty<string>();

    /// <summary>How long the first seed waits for other seeds before forming the cluster.</summary>
    public TimeSpan SeedNodeTimeout { get; init; }

    /// <summary>Members needed before the leader moves members to Up (&gt;= 1).</summary>
    public int MinNrOfMembers { get; init; }

    /// <summary>Roles of this node.</summary>
    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();

    /// <summary>Shared secret for the handshake HMAC; empty = no authentication.</summary>
    public string Secret { get; init; } = "";

    /// <summary>Gossip period.</summary>
    public TimeSpan GossipInterval { get; init; }

    /// <summary>Period of the leader's unreachability check.</summary>
    public TimeSpan UnreachableNodesReaperInterval { get; init; }

    /// <summary>Extra wait before a downed member is removed (&gt;= 0).</summary>
    public TimeSpan DownRemovalMargin { get; init; }

    /// <summary>Heartbeat failure detector.</summary>
    public FailureDetectorSettings FailureDetector { get; init; } = new();

    /// <summary>This node's address as configured ("actortrain://system@host:port"; port 0 until bound).</summary>
    public string SelfAddress => $"actortrain://{SystemName}@{Hostname}:{Port}";

    /// <summary>Reads and validates the section; errors go to <paramref name="reader"/>.</summary>
    public static ClusterSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var systemName = reader.NonEmptyString(p + "system-name");
        if (systemName.Length > 0)
            reader.Require(systemName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), p + "system-name",
                "may contain only letters, digits, '-' and '_'");
        var seedNodes = reader.StringList(p + "seed-nodes");
        for (int i = 0; i < seedNodes.Count; i++)
        {
            var problem = SeedNodeAddress.Validate(seedNodes[i], systemName);
            if (problem is not null) reader.Fail(p + "seed-nodes", $"element {i} \"{seedNodes[i]}\" {problem}");
        }
        return new ClusterSettings
        {
            SystemName = systemName,
            Hostname = reader.NonEmptyString(p + "hostname"),
            Port = reader.Int(p + "port", 0, 65535),
            SeedNodes = seedNodes,
            SeedNodeTimeout = reader.PositiveDuration(p + "seed-node-timeout"),
            MinNrOfMembers = reader.Int(p + "min-nr-of-members", min: 1),
            Roles = reader.StringList(p + "roles"),
            Secret = reader.String(p + "secret"),
            GossipInterval = reader.PositiveDuration(p + "gossip-interval"),
            UnreachableNodesReaperInterval = reader.PositiveDuration(p + "unreachable-nodes-reaper-interval"),
            DownRemovalMargin = reader.Duration(p + "down-removal-margin", TimeSpan.Zero),
            FailureDetector = FailureDetectorSettings.Bind(reader),
        };
    }

    /// <summary>Binds from <paramref name="config"/> with reference.conf as fallback; throws
    /// <see cref="SettingsValidationException"/> listing every problem.</summary>
    public static ClusterSettings FromConfig(Config config)
    {
        var reader = new SettingsReader(config.WithFallback(ReferenceConfig.Load()).Resolve());
        var settings = Bind(reader);
        reader.ThrowIfErrors();
        return settings;
    }

    /// <summary>The defaults of reference.conf.</summary>
    public static ClusterSettings Default => FromConfig(Config.Empty);
}
