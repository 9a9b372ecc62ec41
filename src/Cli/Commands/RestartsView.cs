using System.Globalization;
using ActorTrain.Actors.Job;
using Spectre.Console;

namespace ActorTrain.Cli.Commands;

/// <summary>The restarts of an elastic job (the run directory's restarts.jsonl), as <c>actortrain inspect RUN_DIR</c> lists them.</summary>
internal static class RestartsView
{
    /// <summary>Prints the restarts recorded in <paramref name="runDir"/>, or that there were none.</summary>
    public static void Print(string runDir)
    {
        var restarts = RestartLog.Read(runDir);
        if (restarts.Count == 0)
        {
            Console.WriteLine($"restarts: none ({RestartLog.FileName} absent or empty)");
            return;
        }
        var table = new Table().Title(Markup.Escape($"restarts: {restarts.Count} ({Path.Combine(runDir, RestartLog.FileName)})"))
            .AddColumn("#").AddColumn("time (UTC)").AddColumn("lost node(s)").AddColumn("resumed from").AddColumn("nodes / ranks / accum").AddColumn("cause");
        foreach (var r in restarts)
            table.AddRow(
                r.Attempt.ToString(CultureInfo.InvariantCulture),
                r.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(r.LostNodes.Length == 0 ? "-" : string.Join(", ", r.LostNodes)),
                r.ResumedFromStep is { } step ? $"step {step}" : "step 0 (no checkpoint)",
                $"{r.Nodes} / {r.WorldSize} / {r.GradAccumSteps}",
                Markup.Escape(r.Cause));
        AnsiConsole.Write(table);
        // One plain line per restart as well: greppable, and whole where a narrow console wraps the table.
        foreach (var r in restarts)
            Console.WriteLine($"restart {r.Attempt}: lost {(r.LostNodes.Length == 0 ? "-" : string.Join(", ", r.LostNodes))}; " +
                              $"resumed from {(r.ResumedFromStep is { } s ? $"step {s}" : "step 0")}; cause: {r.Cause}");
    }
}
