namespace ActorTrain.Cluster.Hocon;

/// <summary>Creates configs from HOCON text, files and key/value overrides.</summary>
public static class ConfigFactory
{
    /// <summary>Parses HOCON text. <paramref name="sourceName"/> appears in error messages and origins;
    /// includes are relative to <paramref name="baseDirectory"/> (the current directory when null).</summary>
    public static Config ParseString(string text, string sourceName = "<string>", string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Config(HoconParser.ParseDocument(text, sourceName, baseDirectory), isResolved: false);
    }

    /// <summary>Parses a HOCON file; includes are relative to its directory. A missing file is a <see cref="FileNotFoundException"/>
    /// naming the full path.</summary>
    public static Config ParseFile(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Config file '{path}' not found (looked for {fullPath}).", fullPath);
        return new Config(HoconParser.ParseDocument(File.ReadAllText(fullPath), path, Path.GetDirectoryName(fullPath)), isResolved: false);
    }

    /// <summary>Parses one HOCON value ("5", "[\"a\", \"b\"]", "10s", "{ x = 1 }") as it would be written after '=' for
    /// <paramref name="path"/>.</summary>
    public static HoconNode ParseValue(string text, string path, string sourceName) =>
        HoconParser.ParseSingleValue(text, sourceName, HoconPath.Parse(path).Segments);

    /// <summary>A config holding <paramref name="value"/> at <paramref name="path"/> (a dotted path).</summary>
    public static Config FromValue(string path, HoconNode value)
    {
        var segments = HoconPath.Parse(path).Segments;
        HoconNode node = value;
        for (int i = segments.Count - 1; i >= 1; i--)
        {
            var wrapper = new HoconObject(value.Origin);
            wrapper.Set(segments[i], node);
            node = wrapper;
        }
        var root = new HoconObject(value.Origin);
        root.Set(segments[0], node);
        return new Config(root, isResolved: node.IsResolved);
    }

    /// <summary>A config of string values at dotted paths, each with the given origin description; later entries win.</summary>
    public static Config FromStrings(IEnumerable<KeyValuePair<string, string>> values, string sourceName)
    {
        var config = Config.Empty;
        foreach (var (path, text) in values)
            config = FromValue(path, HoconScalar.String(text, new HoconOrigin(sourceName, 0, 0))).WithFallback(config);
        return config;
    }
}
