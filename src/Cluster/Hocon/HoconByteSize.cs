using System.Globalization;

namespace ActorTrain.Cluster.Hocon;

/// <summary>HOCON byte-size syntax: a number, optional whitespace, a unit. Powers of ten: kB, MB, GB, TB (and kilobytes...);
/// powers of two: K/k/Ki/KiB, M/m/Mi/MiB, G/g/Gi/GiB, T/t/Ti/TiB (and kibibytes...); B/byte/bytes or no unit for bytes.
/// As in Typesafe config, "512k" is 512 KiB and "1GB" is 10^9 bytes.</summary>
public static class HoconByteSize
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = BuildUnits();

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal bytes, params string[] names)
        {
            foreach (var n in names) units[n] = bytes;
        }
        Add(1m, "", "B", "b", "byte", "bytes");
        string[] decimalPrefixes = { "kilo", "mega", "giga", "tera", "peta" };
        string[] binaryPrefixes = { "kibi", "mebi", "gibi", "tebi", "pebi" };
        string[] letters = { "K", "M", "G", "T", "P" };
        decimal power10 = 1, power2 = 1;
        for (int i = 0; i < letters.Length; i++)
        {
            power10 *= 1000;
            power2 *= 1024;
            string l = letters[i];
            string decimalSymbol = i == 0 ? "kB" : l + "B";
            Add(power10, decimalSymbol, decimalPrefixes[i] + "byte", decimalPrefixes[i] + "bytes");
            Add(power2, l, l.ToLowerInvariant(), l + "i", l + "iB", binaryPrefixes[i] + "byte", binaryPrefixes[i] + "bytes");
        }
        return units;
    }

    /// <summary>The unit names accepted.</summary>
    public static IEnumerable<string> Units => BytesPerUnit.Keys.Where(k => k.Length > 0);

    /// <summary>Parses <paramref name="text"/> to a number of bytes; false when it is not a byte size (or not a whole number of bytes).</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        if (!HoconDuration.SplitNumberAndUnit(text, out var number, out var unit)) return false;
        if (!BytesPerUnit.TryGetValue(unit, out var perUnit)) return false;
        decimal value;
        try { value = number * perUnit; }
        catch (OverflowException) { return false; }
        if (value != decimal.Truncate(value) || value > long.MaxValue || value < long.MinValue) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>Renders a byte count in the largest binary unit that represents it exactly ("25MiB", "4KiB", "1000B").</summary>
    public static string Format(long bytes)
    {
        (long Size, string Unit)[] units = { (1L << 40, "TiB"), (1L << 30, "GiB"), (1L << 20, "MiB"), (1L << 10, "KiB") };
        foreach (var (size, unit) in units)
            if (bytes != 0 && bytes % size == 0) return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
        return bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }
}
