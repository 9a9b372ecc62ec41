using System.Text.Json;
using Xunit;

namespace ActorTrain.Cli.Tests.Config;

public sealed class ConfigCommandTests
{
    [Fact]
    public void Show_prints_reference_keys_and_reflects_a_set_override()
    {
        var result = CliRun.Run("config", "show", "--set", "actortrain.train.steps=777");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("hostname = \"127.0.0.1\"", result.Stdout);
        Assert.Contains("steps = 777", result.Stdout);
        Assert.DoesNotContain("steps = 300", result.Stdout);
    }

    [Fact]
    public void Show_json_is_valid_json_with_the_override()
    {
        var result = CliRun.Run("config", "show", "--json", "--set", "actortrain.job.sync.strategy=parameter-server");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        var strategy = json.RootElement.GetProperty("actortrain").GetProperty("job").GetProperty("sync").GetProperty("strategy").GetString();
        Assert.Equal("parameter-server", strategy);
    }

    [Fact]
    public void Show_with_origins_names_the_file_and_line_of_a_value()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "job.conf");
        File.WriteAllText(file, "actortrain.train.steps = 42\n");

        var result = CliRun.Run("config", "show", "--config", file, "--origins");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Matches(@"steps = 42\s+#.*job\.conf:1", result.Stdout);
    }

    [Fact]
    public void Unknown_key_exits_1_naming_the_key_and_a_suggestion()
    {
        var result = CliRun.Run("config", "show", "--set", "actortrain.train.stepz=3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("actortrain.train.stepz", result.Stderr);
        Assert.Contains("did you mean 'actortrain.train.steps'", result.Stderr);
        Assert.Equal("", result.Stdout.Trim());
    }

    [Fact]
    public void Validate_reports_a_wrong_type_in_a_file_by_key_and_exits_1()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "bad.conf");
        File.WriteAllText(file, "actortrain.train.steps = many\n");

        var result = CliRun.Run("config", "validate", "--config", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("actortrain.train.steps", result.Stderr);
    }

    [Fact]
    public void Validate_accepts_the_defaults()
    {
        var result = CliRun.Run("config", "validate");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("configuration is valid", result.Stdout);
    }
}
