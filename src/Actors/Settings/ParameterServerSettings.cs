using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.sync.ps</c>: the parameter-server strategy.</summary>
public sealed record ParameterServerSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.job.sync.ps";

    /// <summary>Number of shards; 0 = one per node.</summary>
    public int Shards { get; init; }

    /// <summary>
    /// True: the shards keep the optimizer state of their ranges and apply the optimizer; ranks push gradients and pull
    /// parameters. False: shards sum gradients and every rank runs the optimizer.
    /// </summary>
    public bool ApplyOptimizer { get; init; }

    /// <summary>Synchronous or stale-synchronous.</summary>
    public ParameterServerMode Mode { get; init; }

    /// <summary>Steps a rank may run ahead in ssp mode.</summary>
    public int Staleness { get; init; }

    /// <summary>Reads and validates the section.</summary>
    public static ParameterServerSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var settings = new ParameterServerSettings
        {
            Shards = reader.Int(p + "shards", min: 0),
            ApplyOptimizer = reader.Boolean(p + "apply-optimizer"),
            Mode = reader.Enum<ParameterServerMode>(p + "mode"),
            Staleness = reader.Int(p + "staleness", min: 0),
        };
        if (settings.Mode == ParameterServerMode.Ssp)
            reader.Require(settings.Staleness >= 1, p + "staleness", "must be at least 1 when mode = ssp");
        // Refused rather than silently ignored: the stale-synchronous mode is not implemented.
        reader.Require(settings.Mode != ParameterServerMode.Ssp || settings.Staleness < 1, p + "mode",
            "ssp (stale-synchronous) is not implemented yet; use sync");
        return settings;
    }
}
