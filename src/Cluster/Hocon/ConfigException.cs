namespace ActorTrain.Cluster.Hocon;

/// <summary>A config value is missing, has the wrong type, or a substitution cannot be resolved.
/// The message names the key, the value, where it was written and what was expected.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string path, string problem, HoconOrigin? origin = null, Exception? inner = null)
        : base(Format(path, problem, origin), inner)
    {
        Path = path;
        Problem = problem;
        Origin = origin;
    }

    /// <summary>The key concerned (dotted path).</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the key and location.</summary>
    public string Problem { get; }

    /// <summary>Where the offending value was written, when known.</summary>
    public HoconOrigin? Origin { get; }

    private static string Format(string path, string problem, HoconOrigin? origin) =>
        origin is { } o ? $"'{path}' (at {o}): {problem}" : $"'{path}': {problem}";
}
