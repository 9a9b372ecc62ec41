using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using AkkaConfiguration = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace ActorTrain.Cluster.Node;

/// <summary>
/// Hands Akka the <c>akka</c> section that our strict HOCON reader resolved (reference.conf, the user's file, env and
/// --set, with every <c>${actortrain…}</c> substitution done) as canonical JSON, so Akka's lenient parser never sees
/// a config file and both read the same values.
/// </summary>
public static class AkkaConfig
{
    /// <summary>The <c>akka</c> subtree of <paramref name="effective"/> (resolved) as an Akka config.</summary>
    /// <exception cref="ArgumentException"><paramref name="effective"/> has no <c>akka</c> object.</exception>
    public static AkkaConfiguration From(Config effective)
    {
        if (!effective.IsResolved) throw new ArgumentException("resolve the config before handing it to Akka", nameof(effective));
        return AkkaConfigurationFactory.ParseString(Json(effective));
    }

    /// <summary>The canonical JSON Akka is given: <c>{"akka": {…}}</c>.</summary>
    public static string Json(Config effective)
    {
        if (!effective.Root.TryGetValue("akka", out var akka) || akka is not HoconObject akkaObject)
            throw new ArgumentException("the config has no 'akka' section (reference.conf provides one)", nameof(effective));
        var root = new HoconObject(HoconOrigin.Unknown);
        root.Set("akka", akkaObject);
        return HoconJsonRenderer.Render(root, indented: false);
    }

    /// <summary>reference.conf alone, resolved against <paramref name="environment"/> (none by default), plus
    /// <paramref name="overrides"/> (HOCON text) on top: the config actor tests run with.</summary>
    public static AkkaConfiguration Reference(string overrides = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var config = ConfigFactory.ParseString(overrides, "overrides").WithFallback(ReferenceConfig.Load())
            .Resolve(environment ?? new Dictionary<string, string>());
        return From(config);
    }
}
