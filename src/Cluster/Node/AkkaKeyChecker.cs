using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;
using AkkaHoconObject = Akka.Configuration.Hocon.HoconObject;

namespace ActorTrain.Cluster.Node;

/// <summary>
/// Warns about <c>akka.*</c> keys in a user's config that neither Akka (actor, remote, cluster, singleton reference
/// configs) nor our reference.conf knows, naming the nearest known key — Akka itself ignores a mistyped key silently.
/// Keys inside Akka's open maps (deployment, dispatchers, serializers…) are not checked. Warnings, not errors:
/// a plugin may read keys of its own.
/// </summary>
public static class AkkaKeyChecker
{
    private static readonly string[] OpenMaps =
    [
        "akka.actor.deployment", "akka.actor.serializers", "akka.actor.serialization-bindings", "akka.actor.serialization-identifiers",
        "akka.actor.serialization-settings", "akka.actor.mailbox.requirements", "akka.persistence", "akka.extensions",
        // Every phase takes timeout, recover and depends-on; Akka's reference.conf spells out only some of them.
        "akka.coordinated-shutdown.phases",
    ];

    private static readonly Lazy<HashSet<string>> AkkaKeys = new(() => LoadKnownKeys(withOurs: false));
    private static readonly Lazy<HashSet<string>> AllKeys = new(() => LoadKnownKeys(withOurs: true));

    /// <summary>One warning per unknown akka key in <paramref name="userConfig"/>; with <paramref name="akkaOnly"/>, keys
    /// that only our reference.conf defines count as unknown too (a check of reference.conf itself).</summary>
    public static IReadOnlyList<string> Check(Config userConfig, bool akkaOnly = false)
    {
        var warnings = new List<string>();
        if (!userConfig.Root.TryGetValue("akka", out var akka) || akka is not HoconObject akkaObject) return warnings;
        Walk(akkaObject, "akka", (akkaOnly ? AkkaKeys : AllKeys).Value, warnings);
        return warnings;
    }

    private static void Walk(HoconObject obj, string path, HashSet<string> known, List<string> warnings)
    {
        foreach (var (key, value) in obj.Fields)
        {
            string child = path + "." + HoconPath.QuoteIfNeeded(key);
            if (OpenMaps.Any(m => child == m || child.StartsWith(m + ".", StringComparison.Ordinal))) continue;
            if (!known.Contains(child))
            {
                var suggestion = KeySuggester.Suggest(child, known.Where(k => k.StartsWith(path + ".", StringComparison.Ordinal)));
                warnings.Add($"unknown Akka key '{child}' in {value.Origin}: neither Akka.NET nor hocon/reference.conf defines it, so nothing reads it" +
                             (suggestion is null ? "" : $" — did you mean '{suggestion}'?"));
                continue;
            }
            if (value is HoconObject nested) Walk(nested, child, known, warnings);
        }
    }

    private static HashSet<string> LoadKnownKeys(bool withOurs)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        // Akka's own reference configs, as embedded in its assemblies (their factories are internal).
        Collect(AkkaConfigurationFactory.Default().Root.GetObject(), "", keys);
        foreach (var (assembly, resource) in new[]
        {
            (typeof(Akka.Remote.RemoteSettings).Assembly, "Akka.Remote.Configuration.Remote.conf"),
            (typeof(Akka.Cluster.Cluster).Assembly, "Akka.Cluster.Configuration.Cluster.conf"),
            (typeof(Akka.Cluster.Tools.Singleton.ClusterSingletonManager).Assembly, "Akka.Cluster.Tools.Singleton.reference.conf"),
        })
        {
            using var stream = assembly.GetManifestResourceStream(resource);
            if (stream is null) continue; // a later Akka may move it: fewer keys known, more warnings, nothing breaks
            using var reader = new StreamReader(stream);
            Collect(AkkaConfigurationFactory.ParseString(reader.ReadToEnd()).Root.GetObject(), "", keys);
        }
        if (withOurs && ReferenceConfig.Load().Root.TryGetValue("akka", out var ours) && ours is HoconObject oursObject) CollectOurs(oursObject, "akka", keys);
        return keys;
    }

    private static void Collect(AkkaHoconObject obj, string path, HashSet<string> keys)
    {
        foreach (var (key, value) in obj.Items)
        {
            string child = path.Length == 0 ? key : path + "." + HoconPath.QuoteIfNeeded(key);
            keys.Add(child);
            if (value.IsObject()) Collect(value.GetObject(), child, keys);
        }
    }

    private static void CollectOurs(HoconObject obj, string path, HashSet<string> keys)
    {
        foreach (var (key, value) in obj.Fields)
        {
            string child = path + "." + HoconPath.QuoteIfNeeded(key);
            keys.Add(child);
            if (value is HoconObject nested) CollectOurs(nested, child, keys);
        }
    }
}
