using ActorTrain.Actors.Reporting;
using Xunit;

namespace ActorTrain.Cli.Tests.Observe;

/// <summary>The progress view's plain output: the dashboard address first, an ETA on step lines, the summary.</summary>
public sealed class TrainingProgressViewTests
{
    [Fact]
    public async Task Plain_output_starts_with_the_dashboard_address_and_estimates_the_time_left_from_rank_0s_clock()
    {
        var output = new StringWriter();
        var view = new TrainingProgressView(output) { DashboardUrl = "http://127.0.0.1:8265/" };
        var run = view.RunAsync("test", totalSteps: 100);
        // Start-up took 30 s before the start event; then 2 s per step.
        view.Writer.TryWrite(new TrainingEvent { Kind = "start", Step = 0, TotalSteps = 100, ElapsedSeconds = 30, Message = "training" });
        view.Writer.TryWrite(new TrainingEvent { Kind = "step", Step = 10, TotalSteps = 100, Loss = 2.5, TokensPerSecond = 1234, ElapsedSeconds = 50 });
        view.Writer.TryWrite(new TrainingEvent { Kind = "checkpoint", Step = 10, TotalSteps = 100, Message = "/runs/x/step-000010" });
        view.Writer.TryComplete();
        await run;
        view.PrintSummary("/runs/x", TimeSpan.FromSeconds(50));

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("dashboard: http://127.0.0.1:8265/", lines[0]);
        Assert.Equal("training", lines[1]);
        Assert.StartsWith("step 10/100 loss 2.5000", lines[2]);
        Assert.EndsWith("1,234 tok/s ETA 3:00", lines[2]); // 90 steps left × 2 s
        Assert.Equal("checkpoint @ step 10: /runs/x/step-000010", lines[3]);
        Assert.Equal("dashboard: http://127.0.0.1:8265/", lines.Last(l => l.Length > 0)); // repeated under the summary
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Theory]
    [InlineData(null, "?")]
    [InlineData(42.4, "0:42")]
    [InlineData(725.0, "12:05")]
    [InlineData(3723.0, "1:02:03")]
    public void Eta_is_formatted_for_reading(double? seconds, string expected) =>
        Assert.Equal(expected, EtaEstimate.Format(seconds is { } s ? TimeSpan.FromSeconds(s) : null));
}
