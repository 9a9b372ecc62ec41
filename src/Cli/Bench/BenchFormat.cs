using System.Globalization;

namespace ActorTrain.Cli.Bench;

/// <summary>Number formatting shared by the benchmark tables (invariant culture, so logs parse the same everywhere).</summary>
public static class BenchFormat
{
    /// <summary>"1MiB", "16MiB", "512KiB" or bytes.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}KiB",
        _ => $"{bytes}B",
    };

    /// <summary>A value with <paramref name="format"/> in the invariant culture.</summary>
    public static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Our figure over the peer's, e.g. "1.23×" (higher is better for us).</summary>
    public static string Ratio(double ours, double peer) => peer > 0 ? F(ours / peer, "0.00") + "×" : "-";
}
