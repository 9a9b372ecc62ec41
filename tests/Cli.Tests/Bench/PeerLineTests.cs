using ActorTrain.Cli.Bench;
using Xunit;

namespace ActorTrain.Cli.Tests.Bench;

public sealed class PeerLineTests
{
    [Fact]
    public void Gloo_result_line_fields_are_read_by_name()
    {
        var line = PeerLine.Parse("gloo world=4 bytes=67108864 sec=0.05123 algbw=1.310 busbw=1.965");

        Assert.Equal("gloo", line.Label);
        Assert.Equal(67108864, line.Number("bytes"));
        Assert.Equal(0.05123, line.Number("sec"), 12);
        Assert.Equal(1.965, line.Number("busbw"), 12);
    }

    [Fact]
    public void Missing_field_is_reported_with_the_line_label()
    {
        var line = PeerLine.Parse("pytorch-ddp world=4 batch=16 step_ms=12.5");

        var error = Assert.Throws<FormatException>(() => line.Number("tokens_per_s"));
        Assert.Contains("pytorch-ddp", error.Message);
        Assert.Contains("tokens_per_s", error.Message);
    }

    [Theory]
    [InlineData(1L << 20, "1MiB")]
    [InlineData(64L << 20, "64MiB")]
    [InlineData(512L << 10, "512KiB")]
    [InlineData(1000L, "1000B")]
    public void Sizes_print_in_binary_units(long bytes, string expected) => Assert.Equal(expected, BenchFormat.Size(bytes));

    [Fact]
    public void Ratio_is_ours_over_the_peer() => Assert.Equal("1.50×", BenchFormat.Ratio(3, 2));
}
