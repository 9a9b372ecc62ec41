using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary>hocon/reference.conf, embedded in this assembly: every key ActorTrain reads, with its default.</summary>
public static class ReferenceConfig
{
    /// <summary>The resource name of the embedded file.</summary>
    public const string ResourceName = "reference.conf";

    private static readonly Lazy<Config> Cached = new(Parse);

    /// <summary>The parsed (unresolved) reference config; use as the last fallback.</summary>
    public static Config Load() => Cached.Value;

    /// <summary>The text of reference.conf.</summary>
    public static string LoadText()
    {
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException(
                $"Embedded resource '{ResourceName}' missing from {typeof(ReferenceConfig).Assembly.GetName().Name}; " +
                "the Cluster project must embed hocon/reference.conf with LogicalName=\"reference.conf\".");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static Config Parse() => ConfigFactory.ParseString(LoadText(), ResourceName);
}
