using System.Globalization;

namespace ActorTrain.Cluster.Hocon;

/// <summary>An immutable HOCON config, used like Akka's: <c>config.GetInt("actortrain.cluster.port")</c>,
/// <c>userConfig.WithFallback(ReferenceConfig.Load())</c>. Getters resolve substitutions on first use (with the process
/// environment) unless the config was resolved explicitly with <see cref="Resolve"/>. Type errors and missing keys throw
/// <see cref="ConfigException"/> naming the full key, the value and its origin.</summary>
public sealed class Config
{
    private readonly HoconObject _root;
    private readonly HoconPath? _pathPrefix;
    private Config? _resolved;

    internal Config(HoconObject root, bool isResolved, HoconPath? pathPrefix = null)
    {
        _root = root;
        IsResolved = isResolved;
        _pathPrefix = pathPrefix;
        if (isResolved) _resolved = this;
    }

    /// <summary>The empty config.</summary>
    public static Config Empty { get; } = new(new HoconObject(HoconOrigin.Unknown), isResolved: true);

    /// <summary>True when no substitution or concatenation is left in the tree.</summary>
    public bool IsResolved { get; }

    /// <summary>The tree as parsed/merged (possibly unresolved). Treat as read-only.</summary>
    public HoconObject Root => _root;

    /// <summary>The path of this config inside the one <see cref="GetConfig"/> was called on (null for a root config);
    /// error messages name keys by their full path.</summary>
    public string? PathPrefix => _pathPrefix?.ToString();

    /// <summary>True when the config has no keys.</summary>
    public bool IsEmpty => _root.Count == 0;

    /// <summary>This config, with keys it lacks taken from <paramref name="fallback"/> (objects merge recursively).</summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (fallback.IsEmpty) return this;
        return new Config(HoconMerge.WithFallback(_root, fallback._root, _pathPrefix), isResolved: false, _pathPrefix);
    }

    /// <summary>Resolves every substitution. A path missing from the config is looked up in <paramref name="environment"/>
    /// (the process environment when null). Throws <see cref="ConfigException"/> for unresolvable required substitutions and cycles.</summary>
    public Config Resolve(IReadOnlyDictionary<string, string>? environment = null)
    {
        if (IsResolved) return this;
        var env = environment ?? ProcessEnvironment.Snapshot();
        return new Config(HoconResolver.Resolve(_root, env), isResolved: true, _pathPrefix);
    }

    private HoconObject ResolvedRoot => (_resolved ??= Resolve())._root;

    /// <summary>True when <paramref name="path"/> exists and is not null.</summary>
    public bool HasPath(string path) => TryGetNode(path, out var node) && node is not HoconScalar { Kind: HoconScalarKind.Null };

    /// <summary>The value node at <paramref name="path"/>, or false when absent.</summary>
    public bool TryGetNode(string path, out HoconNode node)
    {
        HoconNode current = ResolvedRoot;
        foreach (var segment in HoconPath.Parse(path).Segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var child))
            {
                node = null!;
                return false;
            }
            current = child;
        }
        node = current;
        return true;
    }

    /// <summary>The value node at <paramref name="path"/>; throws when absent.</summary>
    public HoconNode GetNode(string path)
    {
        if (TryGetNode(path, out var node)) return node;
        throw new ConfigException(FullPath(path), "no such key in the config (and no default in reference.conf)");
    }

    /// <summary>Where the value at <paramref name="path"/> was written, if it exists.</summary>
    public HoconOrigin? GetOrigin(string path) => TryGetNode(path, out var node) ? node.Origin : null;

    /// <summary>The full path of <paramref name="path"/> including this config's prefix.</summary>
    public string FullPath(string path) => _pathPrefix is null ? path : _pathPrefix.Append(HoconPath.Parse(path)).ToString();

    /// <summary>A string; numbers and booleans are returned as written.</summary>
    public string GetString(string path) => Scalar(path, "a string").Text;

    /// <summary>A 32-bit integer (a number, or a string holding one).</summary>
    public int GetInt(string path)
    {
        var scalar = Scalar(path, "an integer");
        if (int.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)) return value;
        throw WrongType(path, scalar, "an integer (32-bit)");
    }

    /// <summary>A 64-bit integer.</summary>
    public long GetLong(string path)
    {
        var scalar = Scalar(path, "an integer");
        if (long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return value;
        throw WrongType(path, scalar, "an integer (64-bit)");
    }

    /// <summary>A floating-point number.</summary>
    public double GetDouble(string path)
    {
        var scalar = Scalar(path, "a number");
        if (scalar.Kind != HoconScalarKind.Boolean &&
            double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        throw WrongType(path, scalar, "a number");
    }

    /// <summary>A boolean: true/false, on/off, yes/no.</summary>
    public bool GetBoolean(string path)
    {
        var scalar = Scalar(path, "a boolean");
        switch (scalar.Text)
        {
            case "true": case "on": case "yes": return true;
            case "false": case "off": case "no": return false;
            default: throw WrongType(path, scalar, "a boolean (true/false, on/off, yes/no)");
        }
    }

    /// <summary>A duration ("1s", "500 ms", "2 minutes"; a bare number is milliseconds).</summary>
    public TimeSpan GetDuration(string path)
    {
        var scalar = Scalar(path, "a duration");
        if (scalar.Kind != HoconScalarKind.Boolean && HoconDuration.TryParse(scalar.Text, out var duration)) return duration;
        throw WrongType(path, scalar, "a duration such as 500ms, 1s, 2 minutes (units: ns, us, ms, s, m, h, d)");
    }

    /// <summary>A size in bytes ("25MiB", "64 MiB", "1GB", "512k"; a bare number is bytes).</summary>
    public long GetByteSize(string path)
    {
        var scalar = Scalar(path, "a byte size");
        if (scalar.Kind != HoconScalarKind.Boolean && HoconByteSize.TryParse(scalar.Text, out long bytes)) return bytes;
        throw WrongType(path, scalar, "a byte size such as 512k, 25MiB, 1GB (units: B, K/KiB, M/MiB, G/GiB, kB, MB, GB)");
    }

    /// <summary>A list of strings (an array of scalars).</summary>
    public IReadOnlyList<string> GetStringList(string path)
    {
        var node = GetNode(path);
        if (node is not HoconArray array) throw WrongType(path, node, "a list of strings, e.g. [\"a\", \"b\"]");
        var result = new List<string>(array.Elements.Count);
        for (int i = 0; i < array.Elements.Count; i++)
        {
            if (array.Elements[i] is not HoconScalar { Kind: not HoconScalarKind.Null } s)
                throw WrongType($"{path}[{i}]", array.Elements[i], "a string");
            result.Add(s.Text);
        }
        return result;
    }

    /// <summary>The object at <paramref name="path"/> as a config whose paths are relative to it.</summary>
    public Config GetConfig(string path)
    {
        var node = GetNode(path);
        if (node is not HoconObject obj) throw WrongType(path, node, "an object { ... }");
        var prefix = _pathPrefix is null ? HoconPath.Parse(path) : _pathPrefix.Append(HoconPath.Parse(path));
        return new Config(obj, isResolved: true, prefix);
    }

    /// <summary>The resolved config rendered as HOCON.</summary>
    public string ToHocon(bool withOrigins = false) => HoconRenderer.Render(ResolvedRoot, withOrigins);

    /// <summary>The resolved config rendered as JSON.</summary>
    public string ToJson(bool indented = true) => HoconJsonRenderer.Render(ResolvedRoot, indented);

    /// <inheritdoc />
    public override string ToString() => ToHocon();

    private HoconScalar Scalar(string path, string expected)
    {
        var node = GetNode(path);
        if (node is HoconScalar { Kind: not HoconScalarKind.Null } scalar) return scalar;
        throw WrongType(path, node, expected);
    }

    private ConfigException WrongType(string path, HoconNode node, string expected)
    {
        string shown = node is HoconScalar s ? (s.Kind == HoconScalarKind.String ? HoconStrings.Quote(s.Text) : s.Text) : $"an {node.KindName}";
        if (node is HoconArray) shown = "an array";
        return new ConfigException(FullPath(path), $"expected {expected}, got {shown}", node.Origin);
    }
}
