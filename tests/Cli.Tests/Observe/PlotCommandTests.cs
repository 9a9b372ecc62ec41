using ActorTrain.Cli.Tests.Config;
using Xunit;

namespace ActorTrain.Cli.Tests.Observe;

/// <summary><c>actortrain plot RUN_DIR</c> with a directory that is not a run: one clear error, exit code 1.</summary>
public sealed class PlotCommandTests
{
    [Fact]
    public void A_missing_run_directory_is_named_in_one_error_line()
    {
        var missing = Path.Combine(Path.GetTempPath(), "actortrain-no-such-run-" + Guid.NewGuid().ToString("N"));
        var result = CliRun.Run("plot", missing);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"error: run directory {missing} does not exist", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
    }

    [Fact]
    public void A_directory_without_metrics_jsonl_is_refused_saying_what_it_lacks()
    {
        using var dir = new MultiProcess.TempDirectory();
        var result = CliRun.Run("plot", dir.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{dir.Path} holds no metrics.jsonl", result.Stderr);
        Assert.False(File.Exists(Path.Combine(dir.Path, "loss.png")));
    }
}
