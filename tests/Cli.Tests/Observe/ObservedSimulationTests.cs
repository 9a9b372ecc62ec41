using System.Text;
using ActorTrain.Cli.Tests.Config;
using ActorTrain.Cli.Tests.MultiProcess;
using Xunit;

namespace ActorTrain.Cli.Tests.Observe;

/// <summary>
/// A 2-node <c>simulate</c> with its output redirected (as in CI): plain progress lines with an ETA and no escape codes
/// or spinner frames, a summary naming the plots and TensorBoard, and a run directory that <c>actortrain plot</c>
/// redraws after a crash tore metrics.jsonl's last line.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed class ObservedSimulationTests
{
    [Fact]
    public void Redirected_simulate_prints_plain_progress_and_a_crashed_runs_plots_are_redrawn()
    {
        using var temp = new MultiProcess.TempDirectory();
        using var processes = new ActortrainProcesses();
        var runDir = Path.Combine(temp.Path, "run");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", .. TinyJob.AsArguments(TinyJob.Sets(runDir, steps: 6, saveEvery: 3))]);
        var exit = processes.WaitForExit("simulate", simulate, TimeSpan.FromSeconds(90));
        var output = processes.Output("simulate");
        Assert.True(exit == 0, output);

        Assert.DoesNotContain('\u001b', output); // no ANSI escapes
        Assert.DoesNotContain(output, c => c is >= '\u2800' and <= '\u28FF'); // no spinner frames (braille)
        var steps = processes.Lines("simulate").Where(l => l.StartsWith("step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, steps.Count);
        Assert.All(steps, l => Assert.Matches(@"^step \d/6 loss \d+\.\d{4} .* tok/s ETA (\d+:\d\d|\?)$", l));
        Assert.EndsWith("ETA 0:00", steps[^1]);
        Assert.Contains($"plots: {Path.Combine(runDir, "loss.png")}, {Path.Combine(runDir, "throughput.png")}", processes.Lines("simulate"));
        Assert.Contains($"tensorboard: tensorboard --logdir {runDir}", processes.Lines("simulate"));
        PngCheck.AssertPlot(Path.Combine(runDir, "loss.png"));
        PngCheck.AssertPlot(Path.Combine(runDir, "throughput.png"));
        Assert.Single(Directory.GetFiles(runDir, "events.out.tfevents.*"));

        // A crash mid-write: metrics.jsonl ends in half a line, and no plots were drawn.
        var metrics = Path.Combine(runDir, "metrics.jsonl");
        var lines = File.ReadAllLines(metrics);
        File.WriteAllText(metrics, string.Join('\n', lines) + "\n" + lines[^1][..(lines[^1].Length / 2)], new UTF8Encoding(false));
        File.Delete(Path.Combine(runDir, "loss.png"));
        File.Delete(Path.Combine(runDir, "throughput.png"));

        var plot = CliRun.Run("plot", runDir);
        Assert.True(plot.ExitCode == 0, plot.Stdout + plot.Stderr);
        Assert.Contains($"warning: {metrics}:{lines.Length + 1}: skipped an incomplete last line", plot.Stderr);
        Assert.Contains("plotted 6 step event(s)", plot.Stdout);
        PngCheck.AssertPlot(Path.Combine(runDir, "loss.png"));
        PngCheck.AssertPlot(Path.Combine(runDir, "throughput.png"));
    }
}
