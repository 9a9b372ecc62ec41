using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorTrain.Actors.Tests.Monitoring;

/// <summary>
/// A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line is a HELP, a TYPE,
/// or a sample whose family was TYPEd before; names and label names are valid, label values are properly quoted and
/// escaped, values parse as floats; counters' samples end in _total. Throws <see cref="FormatException"/> naming the
/// line otherwise. (Linked into Cli.Tests too.)
/// </summary>
internal static partial class PrometheusText
{
    /// <summary>One sample: metric name, labels, value.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";
    }

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        int number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var meta = MetaLine().Match(line);
                if (!meta.Success)
                {
                    if (line.StartsWith("# HELP", StringComparison.Ordinal) || line.StartsWith("# TYPE", StringComparison.Ordinal))
                        throw new FormatException($"line {number}: malformed HELP/TYPE: {line}");
                    continue; // a comment
                }
                if (meta.Groups["kind"].Value == "TYPE")
                {
                    string type = meta.Groups["rest"].Value;
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        throw new FormatException($"line {number}: unknown type {type}");
                    if (!types.TryAdd(meta.Groups["name"].Value, type))
                        throw new FormatException($"line {number}: a second TYPE for {meta.Groups["name"].Value}");
                }
                continue;
            }
            var m = SampleLine().Match(line);
            if (!m.Success) throw new FormatException($"line {number}: not a sample: {line}");
            string name = m.Groups["name"].Value;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Capture c in m.Groups["label"].Captures)
            {
                var l = LabelPair().Match(c.Value);
                if (!labels.TryAdd(l.Groups["k"].Value, Unescape(l.Groups["v"].Value)))
                    throw new FormatException($"line {number}: label {l.Groups["k"].Value} twice");
            }
            string valueText = m.Groups["value"].Value;
            double value = valueText switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? v : throw new FormatException($"line {number}: value {valueText} is not a float"),
            };
            string family = types.ContainsKey(name) ? name : FamilyOf(name, types);
            if (!types.TryGetValue(family, out var familyType)) throw new FormatException($"line {number}: {name} has no TYPE before it");
            if (familyType == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
                throw new FormatException($"line {number}: counter sample {name} does not end in _total");
            samples.Add(new Sample(name, labels, value));
        }
        return samples;
    }

    private static string FamilyOf(string name, Dictionary<string, string> types)
    {
        foreach (var suffix in new[] { "_total", "_bucket", "_sum", "_count", "_created" })
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(name[..^suffix.Length])) return name[..^suffix.Length];
        return name;
    }

    private static string Unescape(string v) => v.Replace("\\n", "\n").Replace("\\\"", "\"").Replace("\\\\", "\\");

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex MetaLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?<label>[a-zA-Z_][a-zA-Z0-9_]*=""(\\[\\""n]|[^\\""\n])*"")(,(?<label>[a-zA-Z_][a-zA-Z0-9_]*=""(\\[\\""n]|[^\\""\n])*""))*,?)?\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<v>.*)""$", RegexOptions.Singleline)]
    private static partial Regex LabelPair();
}
