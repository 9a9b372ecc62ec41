using System.CommandLine;
using ActorTrain.Actors.Reporting;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain plot RUN_DIR</c>: redraws <c>loss.png</c> and <c>throughput.png</c> from the run directory's
/// <c>metrics.jsonl</c> — for a run still going, or one that crashed (a torn last line is skipped with a warning).
/// </summary>
public static class PlotCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var runDir = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A run directory (job.run-dir): the one holding metrics.jsonl." };
        var command = new Command("plot", "Redraw loss.png and throughput.png of a run from its metrics.jsonl.") { runDir };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(runDir)!);
            }
            catch (Exception ex) when (UserFacingError.IsUserError(ex))
            {
                UserFacingError.Print(ex);
                return 1;
            }
        });
        return command;
    }

    private static int Run(DirectoryInfo runDir)
    {
        if (!runDir.Exists)
            throw new DirectoryNotFoundException($"run directory {runDir.FullName} does not exist; give the job.run-dir of a run (default runs/default)");
        var metrics = Path.Combine(runDir.FullName, "metrics.jsonl");
        if (!File.Exists(metrics))
            throw new FileNotFoundException($"{runDir.FullName} holds no metrics.jsonl, so it is not a run directory, or rank 0 never started there " +
                                            "(rank 0 writes metrics.jsonl into job.run-dir on its node)", metrics);
        var (files, read) = TrainingPlots.WriteFromMetrics(runDir.FullName);
        foreach (var problem in read.Problems) Console.Error.WriteLine($"warning: {problem}");
        var steps = read.Events.Count(e => e.Kind == "step");
        Console.Out.WriteLine($"plotted {steps} step event(s) and {read.Events.Count(e => e.Kind == "eval")} evaluation(s) from {metrics}:");
        foreach (var file in files) Console.Out.WriteLine($"  {file}");
        return 0;
    }
}
