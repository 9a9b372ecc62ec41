using System.Text;

namespace ActorTrain.Cluster.Hocon;

/// <summary>A path into a config: segments joined by dots; a segment containing a dot (or other special characters) is quoted.</summary>
public sealed class HoconPath : IEquatable<HoconPath>
{
    /// <summary>Creates a path of <paramref name="segments"/> (at least one).</summary>
    public HoconPath(IReadOnlyList<string> segments)
    {
        if (segments.Count == 0) throw new ArgumentException("A config path needs at least one segment.", nameof(segments));
        Segments = segments;
    }

    /// <summary>The segments (keys) from the root.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>Parses "a.b.c" or "a.\"b.c\".d"; throws <see cref="ArgumentException"/> naming the path when it is malformed.</summary>
    public static HoconPath Parse(string path)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        bool any = false;
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '"')
            {
                int end = path.IndexOf('"', i + 1);
                if (end < 0) throw new ArgumentException($"Config path '{path}' has an unterminated quote.", nameof(path));
                current.Append(path, i + 1, end - i - 1);
                any = true;
                i = end;
            }
            else if (c == '.')
            {
                if (!any) throw new ArgumentException($"Config path '{path}' has an empty segment.", nameof(path));
                segments.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }
        if (!any) throw new ArgumentException($"Config path '{path}' is empty or ends with a dot.", nameof(path));
        segments.Add(current.ToString());
        return new HoconPath(segments);
    }

    /// <summary>This path with <paramref name="key"/> appended.</summary>
    public HoconPath Append(string key) => new(Segments.Append(key).ToArray());

    /// <summary>This path followed by <paramref name="rest"/>.</summary>
    public HoconPath Append(HoconPath rest) => new(Segments.Concat(rest.Segments).ToArray());

    /// <summary>Joins a prefix (may be null for the root) and a key.</summary>
    public static HoconPath Join(HoconPath? prefix, string key) => prefix is null ? new HoconPath(new[] { key }) : prefix.Append(key);

    /// <summary>True when a key can be written unquoted in a path or as a HOCON key.</summary>
    public static bool IsSafeUnquotedKey(string key) =>
        key.Length > 0 && key != "include" && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');

    /// <summary>The dotted form, quoting segments that need it.</summary>
    public override string ToString() => string.Join('.', Segments.Select(QuoteIfNeeded));

    /// <summary>A key as it must be written in HOCON: bare when safe, otherwise a JSON-quoted string.</summary>
    public static string QuoteIfNeeded(string key) => IsSafeUnquotedKey(key) ? key : HoconStrings.Quote(key);

    /// <inheritdoc />
    public bool Equals(HoconPath? other) => other is not null && Segments.SequenceEqual(other.Segments, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in Segments) hash.Add(s, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
