using System.Globalization;

namespace ActorTrain.Cli.Bench;

/// <summary>A result line of a peer script or benchmark worker: a label followed by <c>key=value</c> fields.</summary>
public sealed class PeerLine
{
    private readonly Dictionary<string, string> _fields;

    private PeerLine(string label, Dictionary<string, string> fields)
    {
        Label = label;
        _fields = fields;
    }

    /// <summary>The first word (e.g. <c>gloo</c>, <c>pytorch-ddp</c>).</summary>
    public string Label { get; }

    /// <summary>Parses "label k=v k=v ..."; words without '=' after the label are ignored.</summary>
    public static PeerLine Parse(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string word in words.Skip(1))
        {
            int eq = word.IndexOf('=');
            if (eq > 0) fields[word[..eq]] = word[(eq + 1)..];
        }
        return new PeerLine(words.Length > 0 ? words[0] : "", fields);
    }

    /// <summary>The numeric field <paramref name="key"/>; throws naming the line's label when it is missing.</summary>
    public double Number(string key) =>
        _fields.TryGetValue(key, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"{Label} result line has no numeric '{key}=' field");

    /// <summary>Whether the line has <paramref name="key"/>.</summary>
    public bool Has(string key) => _fields.ContainsKey(key);
}
