using System.CommandLine;
using System.Diagnostics;
using System.Threading.Channels;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Training;
using ActorTrain.Cluster.Hocon;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain train [--config FILE] [--set key=value ...] [--resume]</c>: a single-process run of the DDP engine
/// (world 1) with a progress bar, a summary table and a few generated answers. Ctrl-C stops after the current step
/// and saves a checkpoint; <c>--resume</c> continues from the newest checkpoint in the run directory.
/// </summary>
public static class TrainCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "HOCON file layered over reference.conf" };
        var sets = new Option<string[]>("--set")
        {
            Description = "Override one setting, e.g. --set actortrain.train.steps=500 (repeatable; wins over file and environment)",
            AllowMultipleArgumentsPerToken = false,
        };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in the run directory (train.resume = latest)" };
        var command = new Command("train", "Train a GPT in this process (world size 1) with the DDP engine.") { config, sets, resume };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(config)?.FullName, parseResult.GetValue(sets) ?? [], parseResult.GetValue(resume), "train", cancellationToken));
        return command;
    }

    /// <summary>Runs one local job (train or finetune: the overrides say which) with progress, summary and samples.</summary>
    internal static async Task<int> RunAsync(string? configPath, IEnumerable<string> sets, bool resume, string verb, CancellationToken cancellationToken)
    {
        try
        {
            var overrides = resume ? sets.Append("actortrain.train.resume=latest") : sets;
            var loaded = ActorTrainConfigLoader.Load(configPath, ProcessEnvironment.Snapshot(), overrides.ToArray(), ProgramVariables.Names);
            foreach (var warning in loaded.Warnings) Console.Error.WriteLine($"warning: {warning}");
            var settings = loaded.Settings;
            using var loggers = CliLogging.Create(LogLevel.Warning);
            var options = new TrainingRunOptions(settings, loaded.Effective.ToHocon(), loggers);

            var view = new TrainingProgressView();
            var wall = Stopwatch.StartNew();
            var what = settings.Job.Kind == JobKind.Finetune
                ? $"finetune, {(settings.Finetune.Method == FinetuneMethod.Lora ? $"LoRA r={settings.Finetune.LoraRank}" : "full")}, "
                : "";
            var render = view.RunAsync($"{verb} ({what}{settings.Model.Width}×{settings.Model.Layers} GPT, {settings.Data.Source.ToString().ToLowerInvariant()})", settings.Train.Steps);
            TrainingOutcome outcome;
            try
            {
                // The engine computes on its caller's thread: give it one of its own; Ctrl-C stops it after the current step.
                outcome = await Task.Factory.StartNew(
                    () => DdpTrainer.RunAsync(options, new SingleRankSync(), new ChannelObserver(view.Writer), cancellationToken),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            }
            finally
            {
                view.Writer.TryComplete();
                await render;
            }
            view.PrintSummary(settings.Job.RunDir, wall.Elapsed);
            if (outcome.Samples.Count > 0)
            {
                AnsiConsole.WriteLine("generated answers:");
                foreach (var sample in outcome.Samples) AnsiConsole.WriteLine("  " + sample);
            }
            if (outcome.InitialExactMatch is { } before)
                AnsiConsole.WriteLine($"exact-match before fine-tuning {before:P1}, after {(outcome.ExactMatch is { } after ? after.ToString("P1", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}");
            if (settings.Job.Kind == JobKind.Finetune && !outcome.Stopped)
                AnsiConsole.WriteLine($"exported: {Path.Combine(settings.Job.RunDir, "export")} (merged.safetensors{(settings.Finetune.Method == FinetuneMethod.Lora ? ", adapter/" : "")})");
            if (outcome.Stopped) AnsiConsole.WriteLine($"stopped after step {outcome.Steps}; continue with: actortrain {verb} --resume" + (configPath is null ? "" : $" --config {configPath}"));
            return 0;
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            UserFacingError.Print(ex);
            return 1;
        }
    }

    /// <summary>Posts engine events to the progress view (the engine's thread never waits on the console).</summary>
    private sealed class ChannelObserver(ChannelWriter<TrainingEvent> writer) : ITrainingObserver
    {
        public void OnEvent(TrainingEvent e) => writer.TryWrite(e);
    }
}
