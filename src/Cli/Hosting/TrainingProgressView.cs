using System.Threading.Channels;
using ActorTrain.Actors.Reporting;
using Spectre.Console;

namespace ActorTrain.Cli;

/// <summary>
/// Shows a run's events on the console: a Spectre.Console progress bar (step, loss, tokens/s, ETA) on a terminal,
/// plain lines when output is redirected (CI, log files), evaluation results and samples as they arrive, and a
/// summary table at the end.
/// </summary>
public sealed class TrainingProgressView
{
    private readonly Channel<TrainingEvent> _events = Channel.CreateUnbounded<TrainingEvent>();
    private readonly List<TrainingEvent> _seen = new();

    /// <summary>Where producers (a local trainer, or the lines of a node process) post events.</summary>
    public ChannelWriter<TrainingEvent> Writer => _events.Writer;

    /// <summary>Every event received, in order.</summary>
    public IReadOnlyList<TrainingEvent> Events => _seen;

    /// <summary>Consumes events until the writer completes; renders progress while doing so.</summary>
    public async Task RunAsync(string title, long totalSteps)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            await foreach (var e in _events.Reader.ReadAllAsync())
            {
                _seen.Add(e);
                var line = Describe(e, totalSteps);
                if (line is not null) Console.WriteLine(line);
            }
            return;
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalSteps));
                await foreach (var e in _events.Reader.ReadAllAsync())
                {
                    _seen.Add(e);
                    if (e.Kind == "step")
                    {
                        task.Value = e.Step;
                        task.Description = Markup.Escape($"step {e.Step}/{totalSteps}  loss {e.Loss:0.0000}  {e.TokensPerSecond:#,0} tok/s");
                    }
                    else if (Describe(e, totalSteps) is { } line)
                    {
                        AnsiConsole.MarkupLine(Markup.Escape(line));
                    }
                }
                task.Value = task.MaxValue;
                task.StopTask();
            });
    }

    /// <summary>Prints the end-of-run summary table from the events seen.</summary>
    public void PrintSummary(string runDirectory, TimeSpan wall)
    {
        var lastStep = _seen.LastOrDefault(e => e.Kind == "step");
        var lastEval = _seen.LastOrDefault(e => e.Kind == "eval");
        var rates = _seen.Where(e => e.Kind == "step" && e.TokensPerSecond is > 0).Select(e => e.TokensPerSecond!.Value).ToList();
        var table = new Table().Title("run summary").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("steps", lastStep?.Step.ToString() ?? "0");
        table.AddRow("final train loss", lastStep?.Loss?.ToString("0.0000") ?? "-");
        table.AddRow("validation loss", lastEval?.ValidationLoss?.ToString("0.0000") ?? "-");
        table.AddRow("validation exact-match", lastEval?.ExactMatch is { } em ? $"{em:P1}" : "-");
        table.AddRow("tokens/s (median)", rates.Count > 0 ? rates.Order().ElementAt(rates.Count / 2).ToString("#,0") : "-");
        table.AddRow("wall time", wall.ToString(@"hh\:mm\:ss"));
        table.AddRow("run directory", Markup.Escape(runDirectory));
        AnsiConsole.Write(table);
    }

    /// <summary>One plain line for an event, or null when it is not worth a line on its own.</summary>
    public static string? Describe(TrainingEvent e, long totalSteps) => e.Kind switch
    {
        "step" => $"step {e.Step}/{totalSteps} loss {e.Loss:0.0000} lr {e.LearningRate:0.###e+0} grad-norm {e.GradNorm:0.000} {e.TokensPerSecond:#,0} tok/s",
        "eval" => $"eval @ step {e.Step}: val loss {e.ValidationLoss:0.0000}, exact-match {e.ExactMatch:P1}",
        "sample" => $"  sample: {e.Message}",
        "checkpoint" => $"checkpoint @ step {e.Step}: {e.Message}",
        "warning" => $"warning @ step {e.Step}: {e.Message}",
        "start" => e.Message,
        "done" => $"done @ step {e.Step}: {e.Message}",
        _ => e.Message,
    };
}
