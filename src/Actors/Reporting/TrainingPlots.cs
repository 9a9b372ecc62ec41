using ActorTrain.Model.Checkpoints;
using ScottPlot;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Draws a run's curves with ScottPlot as PNG files in the run directory: <c>loss.png</c> (train and validation loss,
/// learning rate on the right axis) and <c>throughput.png</c> (tokens/s). Rank 0 redraws them at every checkpoint and
/// at the end; <c>actortrain plot RUN_DIR</c> redraws them from metrics.jsonl.
/// </summary>
public static class TrainingPlots
{
    /// <summary>File name of the loss plot.</summary>
    public const string LossFile = "loss.png";

    /// <summary>File name of the throughput plot.</summary>
    public const string ThroughputFile = "throughput.png";

    /// <summary>Image size in pixels.</summary>
    public const int Width = 900, Height = 500;

    /// <summary>Series colours (the tests look for them): train loss, validation loss, learning rate, tokens/s.</summary>
    public static readonly Color TrainColor = Color.FromHex("#1f77b4"), ValidationColor = Color.FromHex("#d62728"),
        LearningRateColor = Color.FromHex("#2ca02c"), ThroughputColor = Color.FromHex("#9467bd");

    /// <summary>Writes both plots into <paramref name="runDirectory"/> (atomically: a viewer never sees half a file); returns their paths.</summary>
    public static IReadOnlyList<string> Write(string runDirectory, IReadOnlyList<TrainingEvent> events, string title)
    {
        var loss = Path.Combine(runDirectory, LossFile);
        var throughput = Path.Combine(runDirectory, ThroughputFile);
        AtomicFile.WriteAllBytes(loss, RenderLoss(events, title));
        AtomicFile.WriteAllBytes(throughput, RenderThroughput(events, title));
        return [loss, throughput];
    }

    /// <summary>Redraws the plots of a run directory from its metrics.jsonl; the result names the skipped lines.</summary>
    /// <exception cref="FileNotFoundException">The directory holds no metrics.jsonl.</exception>
    public static (IReadOnlyList<string> Files, MetricsFile Metrics) WriteFromMetrics(string runDirectory)
    {
        var metrics = MetricsJsonlReader.Read(Path.Combine(runDirectory, "metrics.jsonl"));
        return (Write(runDirectory, metrics.Events, TitleFor(runDirectory)), metrics);
    }

    /// <summary>The plots' title: the run directory's name, so plots of several runs side by side tell which is which.</summary>
    public static string TitleFor(string runDirectory) =>
        $"ActorTrain: {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory)))}";

    /// <summary>loss.png as bytes.</summary>
    public static byte[] RenderLoss(IReadOnlyList<TrainingEvent> events, string title)
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss");
        var train = Points(events, "step", e => e.Loss);
        var validation = Points(events, "eval", e => e.ValidationLoss);
        var rates = Points(events, "step", e => e.LearningRate);
        AddLine(plot, train, TrainColor, "train loss", markers: false);
        AddLine(plot, validation, ValidationColor, "validation loss", markers: true);
        if (AddLine(plot, rates, LearningRateColor, "learning rate (right axis)", markers: false) is { } lr)
        {
            lr.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "learning rate";
        }
        if (train.Xs.Length + validation.Xs.Length == 0) plot.Add.Annotation("no finite loss recorded yet");
        else plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>throughput.png as bytes.</summary>
    public static byte[] RenderThroughput(IReadOnlyList<TrainingEvent> events, string title)
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("tokens/s (all ranks)");
        var rate = Points(events, "step", e => e.TokensPerSecond);
        AddLine(plot, rate, ThroughputColor, "tokens/s", markers: false);
        if (rate.Xs.Length == 0) plot.Add.Annotation("no throughput recorded yet");
        else plot.Axes.SetLimitsY(0, rate.Ys.Max() * 1.1); // from zero: a dip reads as a dip, not as a cliff
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>(step, value) of the events of one kind whose value is finite.</summary>
    private static (double[] Xs, double[] Ys) Points(IReadOnlyList<TrainingEvent> events, string kind, Func<TrainingEvent, double?> value)
    {
        var points = events.Where(e => e.Kind == kind && value(e) is { } v && double.IsFinite(v)).Select(e => ((double)e.Step, value(e)!.Value)).ToList();
        return ([.. points.Select(p => p.Item1)], [.. points.Select(p => p.Item2)]);
    }

    private static ScottPlot.Plottables.Scatter? AddLine(Plot plot, (double[] Xs, double[] Ys) points, Color color, string label, bool markers)
    {
        if (points.Xs.Length == 0) return null;
        var line = plot.Add.Scatter(points.Xs, points.Ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = markers || points.Xs.Length == 1 ? 6 : 0; // a single point would be invisible as a line
        return line;
    }
}
