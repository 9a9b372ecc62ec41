using ActorTrain.Cluster.Hocon;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class HoconUnitsTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("500 ms", 500)]
    [InlineData("100ms", 100)]
    [InlineData("2 minutes", 120_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("250", 250)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1 day", 86_400_000)]
    public void Durations_parse_with_and_without_space(string text, long millis)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(millis), ConfigFactory.ParseString($"d = {text}").Resolve(NoEnv).GetDuration("d"));
    }

    [Fact]
    public void Sub_millisecond_durations_are_exact()
    {
        Assert.Equal(TimeSpan.FromTicks(15), ConfigFactory.ParseString("d = 1500ns").Resolve(NoEnv).GetDuration("d"));
        Assert.Equal(TimeSpan.FromTicks(20), ConfigFactory.ParseString("d = 2us").Resolve(NoEnv).GetDuration("d"));
    }

    [Theory]
    [InlineData("25MiB", 25L << 20)]
    [InlineData("64 MiB", 64L << 20)]
    [InlineData("1GB", 1_000_000_000)]
    [InlineData("512k", 512L << 10)]
    [InlineData("4 KiB", 4096)]
    [InlineData("10kB", 10_000)]
    [InlineData("2 gibibytes", 2L << 30)]
    [InlineData("1024", 1024)]
    [InlineData("0.5MiB", 512L << 10)]
    public void Byte_sizes_parse_with_binary_and_decimal_units(string text, long bytes)
    {
        Assert.Equal(bytes, ConfigFactory.ParseString($"s = {text}").Resolve(NoEnv).GetByteSize("s"));
    }

    [Theory]
    [InlineData("1.5B")]
    [InlineData("10 XB")]
    [InlineData("MiB")]
    public void Invalid_byte_sizes_are_rejected(string text)
    {
        Assert.False(HoconByteSize.TryParse(text, out _));
    }

    [Theory]
    [InlineData(1000, "1s")]
    [InlineData(100, "100ms")]
    [InlineData(120_000, "2m")]
    [InlineData(0, "0s")]
    public void Duration_format_uses_largest_exact_unit(long millis, string expected)
    {
        Assert.Equal(expected, HoconDuration.Format(TimeSpan.FromMilliseconds(millis)));
        Assert.True(HoconDuration.TryParse(expected, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(millis), back);
    }

    [Theory]
    [InlineData(25L << 20, "25MiB")]
    [InlineData(1000, "1000B")]
    [InlineData(4096, "4KiB")]
    public void Byte_size_format_round_trips(long bytes, string expected)
    {
        Assert.Equal(expected, HoconByteSize.Format(bytes));
        Assert.True(HoconByteSize.TryParse(expected, out var back));
        Assert.Equal(bytes, back);
    }
}
