using System.Globalization;
using System.Text;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Renders training loss (and validation loss, when evaluated) against step as a self-contained SVG file — no
/// plotting package is needed to look at a run.
/// </summary>
public static class LossCurveSvg
{
    private const int Width = 720, Height = 400, Left = 60, Right = 20, Top = 30, Bottom = 45;

    /// <summary>Builds the SVG text from the run's events.</summary>
    public static string Render(IReadOnlyList<TrainingEvent> events, string title)
    {
        var train = events.Where(e => e.Kind == "step" && e.Loss is { } l && double.IsFinite(l)).Select(e => (X: (double)e.Step, Y: e.Loss!.Value)).ToList();
        var val = events.Where(e => e.Kind == "eval" && e.ValidationLoss is { } l && double.IsFinite(l)).Select(e => (X: (double)e.Step, Y: e.ValidationLoss!.Value)).ToList();
        var all = train.Concat(val).ToList();
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.Append(ci, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>\n");
        if (all.Count == 0)
        {
            sb.Append(ci, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no finite loss recorded</text>\n</svg>\n");
            return sb.ToString();
        }
        double xMin = all.Min(p => p.X), xMax = all.Max(p => p.X), yMin = Math.Min(0, all.Min(p => p.Y)), yMax = all.Max(p => p.Y);
        if (xMax <= xMin) xMax = xMin + 1;
        if (yMax <= yMin) yMax = yMin + 1;
        double Px(double x) => Left + (x - xMin) / (xMax - xMin) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - (y - yMin) / (yMax - yMin) * (Height - Top - Bottom);
        // Axes with 5 ticks each.
        sb.Append(ci, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        sb.Append(ci, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            double xv = xMin + (xMax - xMin) * i / 4, yv = yMin + (yMax - yMin) * i / 4;
            sb.Append(ci, $"<text x=\"{Px(xv):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{xv:0}</text>\n");
            sb.Append(ci, $"<text x=\"{Left - 6}\" y=\"{Py(yv) + 4:F1}\" text-anchor=\"end\">{yv:0.###}</text>\n");
            sb.Append(ci, $"<line x1=\"{Left}\" y1=\"{Py(yv):F1}\" x2=\"{Width - Right}\" y2=\"{Py(yv):F1}\" stroke=\"#eee\"/>\n");
        }
        sb.Append(ci, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">step</text>\n");
        AppendSeries(sb, train, Px, Py, "#1f77b4", "train loss", 0);
        AppendSeries(sb, val, Px, Py, "#d62728", "validation loss", 1);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Writes the SVG for a metrics file next to it as <c>loss.svg</c>; returns the path.</summary>
    public static string WriteForMetrics(string metricsPath, string title)
    {
        var svgPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(metricsPath))!, "loss.svg");
        File.WriteAllText(svgPath, Render(MetricsJsonlWriter.ReadAll(metricsPath), title));
        return svgPath;
    }

    private static void AppendSeries(StringBuilder sb, List<(double X, double Y)> pts, Func<double, double> px, Func<double, double> py, string color, string label, int legendRow)
    {
        if (pts.Count == 0) return;
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"");
        foreach (var (x, y) in pts) sb.Append(ci, $"{px(x):F1},{py(y):F1} ");
        sb.Append("\"/>\n");
        var ly = Top + 10 + legendRow * 16;
        sb.Append(ci, $"<line x1=\"{Width - Right - 150}\" y1=\"{ly}\" x2=\"{Width - Right - 130}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>\n");
        sb.Append(ci, $"<text x=\"{Width - Right - 125}\" y=\"{ly + 4}\">{label}</text>\n");
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
