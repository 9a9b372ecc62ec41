using System.Globalization;

namespace ActorTrain.Cluster.Hocon;

/// <summary>HOCON duration syntax: a number, optional whitespace, a unit (ns, us, ms, s, m, h, d and their long forms:
/// "500 ms", "2 minutes", "1.5s"). A bare number means milliseconds, as in Akka/Typesafe config.</summary>
public static class HoconDuration
{
    private static readonly Dictionary<string, decimal> TicksPerUnit = BuildUnits();

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var n in names) units[n] = ticks;
        }
        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "µs", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    /// <summary>The unit names accepted.</summary>
    public static IEnumerable<string> Units => TicksPerUnit.Keys;

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (!SplitNumberAndUnit(text, out var number, out var unit)) return false;
        decimal ticksPerUnit;
        if (unit.Length == 0) ticksPerUnit = TimeSpan.TicksPerMillisecond;
        else if (!TicksPerUnit.TryGetValue(unit, out ticksPerUnit)) return false;
        try
        {
            duration = TimeSpan.FromTicks((long)decimal.Round(number * ticksPerUnit));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Splits "12.5 ms" into 12.5 and "ms" (shared with byte sizes).</summary>
    internal static bool SplitNumberAndUnit(string text, out decimal number, out string unit)
    {
        var trimmed = text.Trim();
        int i = 0;
        if (i < trimmed.Length && (trimmed[i] == '-' || trimmed[i] == '+')) i++;
        while (i < trimmed.Length && (char.IsAsciiDigit(trimmed[i]) || trimmed[i] == '.' || trimmed[i] == 'e' || trimmed[i] == 'E'))
        {
            // 'e' belongs to the number only as an exponent followed by a digit or sign ("1e3"), not to a unit ("1 exabyte").
            if ((trimmed[i] == 'e' || trimmed[i] == 'E') && !(i + 1 < trimmed.Length && (char.IsAsciiDigit(trimmed[i + 1]) || trimmed[i + 1] == '-'))) break;
            i++;
        }
        unit = trimmed[i..].Trim();
        return decimal.TryParse(trimmed.AsSpan(0, i), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Renders a duration in the largest unit that represents it exactly ("1s", "250ms", "2m", "1500us").</summary>
    public static string Format(TimeSpan duration)
    {
        long ticks = duration.Ticks;
        if (ticks == 0) return "0s";
        (long Ticks, string Unit)[] units =
        {
            (TimeSpan.TicksPerDay, "d"), (TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"),
            (TimeSpan.TicksPerSecond, "s"), (TimeSpan.TicksPerMillisecond, "ms"), (10, "us"),
        };
        foreach (var (perUnit, unit) in units)
            if (ticks % perUnit == 0) return (ticks / perUnit).ToString(CultureInfo.InvariantCulture) + unit;
        return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";
    }
}
