using System.Globalization;
using System.Numerics;
using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary>Reads typed values from a resolved config for settings classes, collecting every type and range error instead
/// of stopping at the first (a failed read returns a harmless default). Call <see cref="ThrowIfErrors"/> when done.</summary>
public sealed class SettingsReader
{
    private readonly List<SettingsError> _errors = new();
    private readonly HashSet<string> _failedKeys = new(StringComparer.Ordinal);

    /// <summary>Reads from <paramref name="config"/> (a root config with full paths such as "actortrain.cluster.port").</summary>
    public SettingsReader(Config config) => Config = config;

    /// <summary>The config read from.</summary>
    public Config Config { get; }

    /// <summary>Errors collected so far.</summary>
    public IReadOnlyList<SettingsError> Errors => _errors;

    /// <summary>Throws <see cref="SettingsValidationException"/> listing every error, if any.</summary>
    public void ThrowIfErrors()
    {
        if (_errors.Count > 0) throw new SettingsValidationException(_errors.ToList());
    }

    /// <summary>Adds errors found elsewhere (e.g. unknown keys).</summary>
    public void AddErrors(IEnumerable<SettingsError> errors)
    {
        foreach (var error in errors) Add(error);
    }

    /// <summary>True when none of <paramref name="paths"/> has an error yet; rules relating several keys check this first,
    /// so that one bad value is reported once rather than again through every rule it takes part in.</summary>
    public bool Ok(params string[] paths) => !paths.Any(_failedKeys.Contains);

    private void Add(SettingsError error)
    {
        _errors.Add(error);
        _failedKeys.Add(error.Key);
    }

    /// <summary>Records that the value at <paramref name="path"/> breaks <paramref name="rule"/>.</summary>
    public void Fail(string path, string rule)
    {
        var origin = Config.GetOrigin(path);
        string value = Config.TryGetNode(path, out var node) ? Show(node) : "(missing)";
        Add(new SettingsError(path, origin is { } o ? $"'{path}' = {value} (at {o}): {rule}" : $"'{path}' = {value}: {rule}", origin));
    }

    /// <summary>Records a failure of <paramref name="rule"/> unless <paramref name="condition"/> holds.</summary>
    public void Require(bool condition, string path, string rule)
    {
        if (!condition) Fail(path, rule);
    }

    /// <summary>A string.</summary>
    public string String(string path) => Read(path, Config.GetString, string.Empty);

    /// <summary>A non-empty string.</summary>
    public string NonEmptyString(string path)
    {
        var value = String(path);
        if (Config.HasPath(path)) Require(value.Trim().Length > 0, path, "must not be empty");
        return value;
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string path, int min = int.MinValue, int max = int.MaxValue)
    {
        bool ok = true;
        int value = Read(path, p => Config.GetInt(p), min, () => ok = false);
        if (ok) RequireRange(value >= min && value <= max, path, min, max);
        return value;
    }

    /// <summary>A 64-bit integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Long(string path, long min = long.MinValue, long max = long.MaxValue)
    {
        bool ok = true;
        long value = Read(path, p => Config.GetLong(p), min, () => ok = false);
        if (ok) RequireRange(value >= min && value <= max, path, min, max);
        return value;
    }

    /// <summary>A number; <paramref name="minExclusive"/> makes the lower bound strict (e.g. threshold &gt; 0).</summary>
    public double Double(string path, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool minExclusive = false, bool maxExclusive = false)
    {
        bool ok = true;
        double value = Read(path, p => Config.GetDouble(p), 0.0, () => ok = false);
        if (!ok) return value;
        bool aboveMin = minExclusive ? value > min : value >= min;
        bool belowMax = maxExclusive ? value < max : value <= max;
        if (!aboveMin || !belowMax)
        {
            string low = double.IsNegativeInfinity(min) ? "" : $"{(minExclusive ? ">" : ">=")} {F(min)}";
            string high = double.IsPositiveInfinity(max) ? "" : $"{(maxExclusive ? "<" : "<=")} {F(max)}";
            Fail(path, "must be " + string.Join(" and ", new[] { low, high }.Where(s => s.Length > 0)));
        }
        return value;
    }

    /// <summary>A boolean (true/false, on/off, yes/no).</summary>
    public bool Boolean(string path) => Read(path, p => Config.GetBoolean(p), false);

    /// <summary>A duration of at least <paramref name="min"/> (strictly more with <paramref name="minExclusive"/>).</summary>
    public TimeSpan Duration(string path, TimeSpan min, bool minExclusive = false, TimeSpan? max = null)
    {
        bool ok = true;
        var value = Read(path, p => Config.GetDuration(p), TimeSpan.FromSeconds(1), () => ok = false);
        if (!ok) return value;
        if (minExclusive ? value <= min : value < min)
            Fail(path, $"must be {(minExclusive ? "greater than" : "at least")} {HoconDuration.Format(min)}");
        else if (max is { } m && value > m)
            Fail(path, $"must be at most {HoconDuration.Format(m)}");
        return value;
    }

    /// <summary>A positive duration.</summary>
    public TimeSpan PositiveDuration(string path) => Duration(path, TimeSpan.Zero, minExclusive: true);

    /// <summary>A byte size within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long ByteSize(string path, long min, long max)
    {
        bool ok = true;
        long value = Read(path, p => Config.GetByteSize(p), min, () => ok = false);
        if (ok && (value < min || value > max))
            Fail(path, $"must be between {HoconByteSize.Format(min)} and {HoconByteSize.Format(max)}");
        return value;
    }

    /// <summary>A list of strings.</summary>
    public IReadOnlyList<string> StringList(string path) => Read(path, Config.GetStringList, Array.Empty<string>());

    /// <summary>One of the values of <typeparamref name="TEnum"/>, written in kebab-case
    /// (ParameterServer is "parameter-server", Gpt2Normal is "gpt2-normal").</summary>
    public TEnum Enum<TEnum>(string path) where TEnum : struct, Enum
    {
        bool ok = true;
        string text = Read(path, Config.GetString, "", () => ok = false);
        if (!ok) return default;
        if (SettingsEnum.TryParse<TEnum>(text, out var value)) return value;
        Fail(path, $"must be one of {string.Join(", ", SettingsEnum.Names<TEnum>())}");
        return default;
    }

    private T Read<T>(string path, Func<string, T> getter, T fallback, Action? onError = null)
    {
        try
        {
            return getter(path);
        }
        catch (ConfigException e)
        {
            Add(new SettingsError(path, e.Message, e.Origin));
            onError?.Invoke();
            return fallback;
        }
    }

    private void RequireRange<T>(bool inRange, string path, T min, T max) where T : IMinMaxValue<T>, IFormattable
    {
        if (inRange) return;
        bool noMin = min.Equals(T.MinValue), noMax = max.Equals(T.MaxValue);
        string rule = noMin ? $"must be at most {max}" : noMax ? $"must be at least {min}" : $"must be between {min} and {max}";
        Fail(path, rule);
    }

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static string Show(HoconNode node) => node switch
    {
        HoconScalar { Kind: HoconScalarKind.String } s => HoconStrings.Quote(s.Text),
        HoconScalar s => s.Text,
        HoconArray a => "[" + string.Join(", ", a.Elements.Select(Show)) + "]",
        _ => "{ ... }",
    };
}
