using System.Globalization;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>Builds the config layer of environment variables: ACTORTRAIN_&lt;PATH&gt; for any key, and the torchrun-style
/// MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK, NODE_RANK, LOCAL_RANK, NPROC_PER_NODE (see reference.conf), over the
/// Slurm / mpirun placement of <see cref="LauncherEnvironment"/>.</summary>
public static class EnvironmentOverrides
{
    /// <summary>The prefix of variables that name config keys.</summary>
    public const string Prefix = "ACTORTRAIN_";

    /// <summary>torchrun's default MASTER_PORT.</summary>
    public const int DefaultMasterPort = 29500;

    private static readonly (string Variable, string Key)[] Torchrun =
    {
        ("WORLD_SIZE", "actortrain.job.world-size"),
        ("RANK", "actortrain.job.rank"),
        ("NODE_RANK", "actortrain.job.node-rank"),
        ("LOCAL_RANK", "actortrain.job.local-rank"),
        ("NPROC_PER_NODE", "actortrain.job.nproc-per-node"),
    };

    /// <summary>The environment variable that sets <paramref name="key"/> (a key under actortrain.).</summary>
    public static string VariableFor(string key) =>
        Prefix + key["actortrain.".Length..].Replace('.', '_').Replace('-', '_').ToUpperInvariant();

    /// <summary>The overrides as a config. Variables with the ACTORTRAIN_ prefix that name no key produce a warning with the
    /// nearest valid variable; <paramref name="ignoredVariables"/> (e.g. ones the CLI itself reads) are skipped.</summary>
    public static Config Build(IReadOnlyDictionary<string, string> environment, Config reference, ICollection<string> warnings,
        IEnumerable<string>? ignoredVariables = null)
    {
        var ignored = new HashSet<string>(ignoredVariables ?? Array.Empty<string>(), StringComparer.Ordinal);
        var keyByVariable = LeafKeys(reference.Root, "actortrain").ToDictionary(VariableFor, k => k, StringComparer.Ordinal);

        // Lowest first: the launcher's placement (srun, mpirun), torchrun variables, then ACTORTRAIN_* (more specific) on top.
        var layer = LauncherEnvironment.Build(environment, reference);
        void Set(string key, HoconNode value) => layer = ConfigFactory.FromValue(key, value).WithFallback(layer);

        foreach (var (variable, key) in Torchrun)
        {
            if (environment.TryGetValue(variable, out var text))
                Set(key, OverrideValue.Parse(key, text.Trim(), $"environment variable {variable}", reference));
        }
        AddMaster(environment, reference, Set);

        foreach (var (variable, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!variable.StartsWith(Prefix, StringComparison.Ordinal) || ignored.Contains(variable)) continue;
            if (keyByVariable.TryGetValue(variable, out var key))
            {
                Set(key, OverrideValue.Parse(key, text, $"environment variable {variable}", reference));
                continue;
            }
            var suggestion = KeySuggester.Suggest(variable, keyByVariable.Keys);
            warnings.Add($"environment variable {variable} sets no ActorTrain key and is ignored" +
                         (suggestion is null ? "" : $" — did you mean {suggestion} ({keyByVariable[suggestion]})?"));
        }
        return layer;
    }

    private static void AddMaster(IReadOnlyDictionary<string, string> environment, Config reference, Action<string, HoconNode> set)
    {
        if (!environment.TryGetValue("MASTER_ADDR", out var address) || address.Trim().Length == 0) return;
        address = address.Trim();
        string portText = environment.TryGetValue("MASTER_PORT", out var p) && p.Trim().Length > 0
            ? p.Trim()
            : DefaultMasterPort.ToString(CultureInfo.InvariantCulture);
        string host = address;
        string source = "environment variables MASTER_ADDR/MASTER_PORT";

        var seed = SeedNodes(host, portText, source);
        set("actortrain.cluster.seed-nodes", seed);

        if (IsMasterNode(environment))
        {
            set("actortrain.cluster.hostname", HoconScalar.String(address.Trim('[', ']'), new HoconOrigin("environment variable MASTER_ADDR", 0, 0)));
            set("actortrain.cluster.port", OverrideValue.Parse("actortrain.cluster.port", portText, "environment variable MASTER_PORT", reference));
        }
    }

    /// <summary>["akka.tcp://&lt;system-name&gt;@host:port"] as a config value; <paramref name="host"/> may be an IPv6 address.</summary>
    internal static HoconNode SeedNodes(string host, string portText, string source)
    {
        if (host.Contains(':') && !host.StartsWith('[')) host = $"[{host}]";
        // The system name is substituted at resolution, so a system-name set in any layer is used.
        return ConfigFactory.ParseValue(
            $"[\"{SeedNodeAddress.Scheme}\"${{actortrain.cluster.system-name}}{HoconStrings.Quote($"@{host}:{portText}")}]",
            "actortrain.cluster.seed-nodes", source);
    }

    /// <summary>True when the variables place this process on node 0 (NODE_RANK=0, or RANK below NPROC_PER_NODE / RANK=0).</summary>
    private static bool IsMasterNode(IReadOnlyDictionary<string, string> environment)
    {
        static int? Int(IReadOnlyDictionary<string, string> env, string name) =>
            env.TryGetValue(name, out var v) && int.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null;
        if (Int(environment, "NODE_RANK") is { } nodeRank) return nodeRank == 0;
        if (Int(environment, "RANK") is { } rank) return Int(environment, "NPROC_PER_NODE") is { } nproc and > 0 ? rank / nproc == 0 : rank == 0;
        return false;
    }

    private static IEnumerable<string> LeafKeys(HoconObject root, string rootKey)
    {
        if (!root.TryGetValue(rootKey, out var node) || node is not HoconObject obj) yield break;
        var stack = new Stack<(HoconObject, string)>();
        stack.Push((obj, rootKey));
        while (stack.Count > 0)
        {
            var (current, path) = stack.Pop();
            foreach (var (key, value) in current.Fields)
            {
                string childPath = path + "." + key;
                if (value is HoconObject child) stack.Push((child, childPath));
                else yield return childPath;
            }
        }
    }
}
