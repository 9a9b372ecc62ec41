using System.Collections;

namespace ActorTrain.Cluster.Hocon;

/// <summary>Snapshot of the process environment as a dictionary, for substitution lookups and overrides.</summary>
public static class ProcessEnvironment
{
    /// <summary>All environment variables of this process, now.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value) result[key] = value;
        }
        return result;
    }
}
