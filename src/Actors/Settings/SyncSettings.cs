using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.sync</c>: gradient synchronisation.</summary>
public sealed record SyncSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.job.sync";

    /// <summary>Ring all-reduce or parameter server.</summary>
    public SyncStrategy Strategy { get; init; }

    /// <summary>Largest bucket in bytes (1 KiB .. 1 GiB).</summary>
    public long BucketCap { get; init; }

    /// <summary>Transport between ranks.</summary>
    public SyncTransport Transport { get; init; }

    /// <summary>Whether each rank steps the optimizer on its shard only (reduce-scatter, step, all-gather).</summary>
    public OptimizerSharding ShardOptimizer { get; init; }

    /// <summary>Parameter-server settings.</summary>
    public ParameterServerSettings Ps { get; init; } = new();

    /// <summary>Reads and validates the section.</summary>
    public static SyncSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var settings = new SyncSettings
        {
            Strategy = reader.Enum<SyncStrategy>(p + "strategy"),
            BucketCap = reader.ByteSize(p + "bucket-cap", 1024, 1L << 30),
            Transport = reader.Enum<SyncTransport>(p + "transport"),
            ShardOptimizer = reader.Enum<OptimizerSharding>(p + "shard-optimizer"),
            Ps = ParameterServerSettings.Bind(reader),
        };
        if (settings.Ps.ApplyOptimizer)
        {
            reader.Require(settings.Strategy == SyncStrategy.ParameterServer, ParameterServerSettings.Path + ".apply-optimizer",
                $"on needs {p}strategy = parameter-server (it is {settings.Strategy.ToString().ToLowerInvariant()}): only parameter-server shards can apply the optimizer");
            reader.Require(settings.ShardOptimizer != OptimizerSharding.On, p + "shard-optimizer",
                $"on cannot be combined with {ParameterServerSettings.Path}.apply-optimizer = on: the shards already hold the optimizer; use auto or off");
        }
        return settings;
    }
}
