using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary><c>actortrain.cluster</c>: this node's identity, seed nodes, failure detection and TLS; reference.conf feeds
/// them into the <c>akka</c> section Akka.Cluster reads.</summary>
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

    /// <summary>Seed node addresses ("akka.tcp://system@host:port"), validated and in config order.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = Array.Empty<string>();

    /// <summary>How long the first seed waits for other seeds before forming the cluster.</summary>
    public TimeSpan SeedNodeTimeout { get; init; }

    /// <summary>Members needed before the leader moves members to Up (&gt;= 1).</summary>
    public int MinNrOfMembers { get; init; }

    /// <summary>Roles of this node.</summary>
    public IReadOnlyList<string> Roles { get; init; } = Array.Empty<string>();

    /// <summary>Failed connection attempts to a refusing seed node before a joining node gives up (&gt;= 1).</summary>
    public int MaxRefusedJoins { get; init; }

    /// <summary>Gossip period.</summary>
    public TimeSpan GossipInterval { get; init; }

    /// <summary>Period of the leader's unreachability check.</summary>
    public TimeSpan UnreachableNodesReaperInterval { get; init; }

    /// <summary>Mutual TLS between nodes.</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>Heartbeat failure detector.</summary>
    public FailureDetectorSettings FailureDetector { get; init; } = new();

    /// <summary>This node's address as configured ("akka.tcp://system@host:port"; port 0 until bound).</summary>
    public string SelfAddress => $"{SeedNodeAddress.Scheme}{SystemName}@{Hostname}:{Port}";

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
            MaxRefusedJoins = reader.Int(p + "max-refused-joins", min: 1),
            GossipInterval = reader.PositiveDuration(p + "gossip-interval"),
            UnreachableNodesReaperInterval = reader.PositiveDuration(p + "unreachable-nodes-reaper-interval"),
            Tls = TlsSettings.Bind(reader),
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
