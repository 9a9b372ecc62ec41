using System.Threading.Channels;
using ActorTrain.Actors.Reporting;
using Spectre.Console;

namespace ActorTrain.Cli;

/// <summary>
/// Shows a run's events on the console: on a terminal one live Spectre.Console progress line (step, loss, tokens/s,
/// ETA, bar); when output is redirected (CI, log files) plain lines without escape codes, one per logged step;
/// evaluation results, samples, checkpoints and warnings as they arrive; and a summary table at the end.
/// </summary>
public sealed class TrainingProgressView
{
    private readonly Channel<TrainingEvent> _events = Channel.CreateUnbounded<TrainingEvent>();
    private readonly List<TrainingEvent> _seen = new();
    private readonly EtaEstimate _eta = new();
    private readonly TextWriter? _plainOutput;

    /// <summary>A view that renders live on a terminal and as plain lines to stdout otherwise.</summary>
    public TrainingProgressView()
    {
    }

    /// <summary>A view that always writes plain lines to <paramref name="plainOutput"/> (tests, logs).</summary>
    public TrainingProgressView(TextWriter plainOutput) => _plainOutput = plainOutput;

    /// <summary>Where producers (a local trainer, or the lines of a node process) post events.</summary>
    public ChannelWriter<TrainingEvent> Writer => _events.Writer;

    /// <summary>Every event received, in order.</summary>
    public IReadOnlyList<TrainingEvent> Events => _seen;

    /// <summary>
    /// The address of a live dashboard serving this run, when one does: printed as <c>dashboard: URL</c> before the
    /// progress starts and as a row of the summary. Set it before <see cref="RunAsync"/>.
    /// </summary>
    public string? DashboardUrl { get; set; }

    /// <summary>Consumes events until the writer completes; renders progress while doing so.</summary>
    public async Task RunAsync(string title, long totalSteps)
    {
        var plain = _plainOutput ?? (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected ? Console.Out : null);
        if (plain is not null)
        {
            if (DashboardUrl is { } url) plain.WriteLine($"dashboard: {url}");
            await foreach (var e in _events.Reader.ReadAllAsync())
            {
                var line = Describe(Seen(e), totalSteps);
                if (line is not null) plain.WriteLine(e.Kind == "step" ? $"{line} ETA {EtaEstimate.Format(_eta.Remaining(e))}" : line);
            }
            return;
        }
        if (DashboardUrl is { } link) AnsiConsole.MarkupLine($"dashboard: [link]{Markup.Escape(link)}[/]");
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, totalSteps));
                await foreach (var e in _events.Reader.ReadAllAsync())
                {
                    Seen(e);
                    if (e.Kind == "step")
                    {
                        task.Value = e.Step;
                        task.Description = Markup.Escape(LiveLine(e, totalSteps, _eta.Remaining(e)));
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

    /// <summary>The live line's text: step, loss, tokens/s and time left.</summary>
    public static string LiveLine(TrainingEvent e, long totalSteps, TimeSpan? remaining) =>
        $"step {e.Step}/{totalSteps}  loss {e.Loss:0.0000}  {e.TokensPerSecond:#,0} tok/s  ETA {EtaEstimate.Format(remaining)}";

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
        var console = _plainOutput is null ? AnsiConsole.Console
            // The plain writer gets the same table without escape codes.
            : AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(_plainOutput) });
        console.Write(table);
        // What there is to look at, as whole lines that Spectre would not wrap (long paths stay copyable): where rank 0
        // wrote it on this machine.
        var lines = _plainOutput ?? Console.Out;
        if (File.Exists(Path.Combine(runDirectory, TrainingPlots.LossFile)))
            lines.WriteLine($"plots: {Path.Combine(runDirectory, TrainingPlots.LossFile)}, {Path.Combine(runDirectory, TrainingPlots.ThroughputFile)}");
        if (Directory.Exists(runDirectory) && Directory.EnumerateFiles(runDirectory, TensorBoardWriter.FilePrefix + "*").Any())
            lines.WriteLine($"tensorboard: tensorboard --logdir {runDirectory}");
        if (DashboardUrl is { } url) lines.WriteLine($"dashboard: {url}");
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

    private TrainingEvent Seen(TrainingEvent e)
    {
        _seen.Add(e);
        _eta.Observe(e);
        return e;
    }
}
