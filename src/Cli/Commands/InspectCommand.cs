using System.CommandLine;
using System.Globalization;
using ActorTrain.Cli.Bench;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Model.Checkpoints;
using Spectre.Console;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain inspect &lt;checkpoint-dir|run-dir|file.safetensors&gt;</c>: what a checkpoint holds — step, sampler and
/// schedule state, a summary of the run's config, every tensor (name, dtype, shape), the parameter count and
/// whether optimizer state is present. A run directory shows its latest complete checkpoint and the restarts of an
/// elastic job (restarts.jsonl).
/// </summary>
public static class InspectCommand
{
    private static readonly string[] SummaryKeys =
    [
        "actortrain.model.preset", "actortrain.model.width", "actortrain.model.layers", "actortrain.model.heads", "actortrain.model.context",
        "actortrain.job.sync.strategy", "actortrain.job.world-size", "actortrain.train.optimizer", "actortrain.train.lr",
        "actortrain.train.micro-batch-size", "actortrain.train.steps", "actortrain.data.source",
    ];

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A checkpoint directory (step-000120/), a run directory (its latest checkpoint), or a .safetensors file." };
        var command = new Command("inspect", "Show what a checkpoint or safetensors file holds.") { path };
        command.SetAction(parse => GuardedAction.Run(() =>
        {
            Inspect(parse.GetValue(path)!);
            return 0;
        }));
        return command;
    }

    /// <summary>Prints the description of <paramref name="path"/> to the console.</summary>
    internal static void Inspect(string path)
    {
        if (File.Exists(path))
        {
            PrintTensors(path, "tensors");
            return;
        }
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"{path} does not exist; give a checkpoint directory, a run directory or a .safetensors file", path);
        Checkpoint checkpoint;
        if (File.Exists(Path.Combine(path, Checkpoint.StateFileName)))
        {
            checkpoint = Checkpoint.Open(path);
        }
        else
        {
            checkpoint = new CheckpointStore(path).OpenLatest(skipped => Console.WriteLine($"warning: skipping a damaged checkpoint: {skipped}"))
                ?? throw new FileNotFoundException($"{path} holds no complete, intact checkpoint: no {Checkpoint.StateFileName} in it, and no step-NNNNNN/ directory with a verified {CheckpointManifest.FileName}", path);
            Console.WriteLine($"run directory {path}: latest complete checkpoint is {Path.GetFileName(checkpoint.Directory)}");
            RestartsView.Print(path);
        }
        Console.WriteLine($"integrity: every file matches {CheckpointManifest.FileName} (size and SHA-256)");
        PrintState(checkpoint);
        if (File.Exists(checkpoint.ModelPath)) PrintTensors(checkpoint.ModelPath, "model tensors");
        else Console.WriteLine($"no {Checkpoint.ModelFileName} in {checkpoint.Directory}");
        if (checkpoint.HasOptimizerState)
        {
            using var reader = SafeTensorsReader.Open(checkpoint.OptimizerPath);
            string Meta(string key) => reader.Metadata.TryGetValue(key, out string? v) ? v : "?";
            Console.WriteLine($"optimizer state: present ({Meta("optimizer")}, step {Meta("step")}, buffers {Meta("buffers")}; {reader.Tensors.Count} tensors, " +
                $"{Elements(reader.Tensors):N0} elements)");
        }
        else
        {
            Console.WriteLine("optimizer state: absent (saved without optimizer; resuming restarts the optimizer)");
        }
    }

    private static void PrintState(Checkpoint checkpoint)
    {
        var s = checkpoint.State;
        var table = new Table().Title(Markup.Escape($"checkpoint {checkpoint.Directory}")).AddColumn("field").AddColumn("value");
        table.AddRow("step", s.Step.ToString(CultureInfo.InvariantCulture));
        table.AddRow("world size", s.WorldSize.ToString(CultureInfo.InvariantCulture));
        table.AddRow("sampler", $"epoch {s.Sampler.Epoch}, position {s.Sampler.Position}" +
            (s.Sampler.Offset > 0 ? $" (epoch re-sharded at sample {s.Sampler.Offset} for this world size)" : ""));
        table.AddRow("consumed tokens", s.ConsumedTokens.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("lr schedule", s.Schedule is { } lr
            ? Markup.Escape($"warmup {lr.WarmupSteps} steps {lr.InitialLr:g3}→{lr.PeakLr:g3}, cosine to {lr.MinLr:g3} at step {lr.TotalSteps}; lr now {lr.At(s.Step):g4}")
            : "-");
        table.AddRow("rng states", s.RngStates.Count == 0 ? "-" : Markup.Escape(string.Join(", ", s.RngStates.Keys)));
        table.AddRow("non-finite streak", s.NonFiniteStreak.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in ConfigSummary(s.ConfigText)) table.AddRow(Markup.Escape(key), Markup.Escape(value));
        foreach (var (key, value) in s.Extra) table.AddRow(Markup.Escape(key), Markup.Escape(value));
        AnsiConsole.Write(table);
    }

    private static IEnumerable<(string Key, string Value)> ConfigSummary(string configText)
    {
        if (string.IsNullOrWhiteSpace(configText))
        {
            yield return ("config", "(not stored)");
            yield break;
        }
        Config config;
        try
        {
            config = ConfigFactory.ParseString(configText, "state.json config");
        }
        catch (HoconParseException e)
        {
            config = Config.Empty;
            Console.Error.WriteLine($"warning: the stored config does not parse: {e.Message}");
        }
        foreach (string key in SummaryKeys)
            if (config.TryGetNode(key, out var node) && node is HoconScalar scalar)
                yield return (key, scalar.Text);
    }

    private static void PrintTensors(string file, string title)
    {
        using var reader = SafeTensorsReader.Open(file);
        var table = new Table().Title(Markup.Escape($"{title}: {file}")).AddColumn("name").AddColumn("dtype").AddColumn("shape")
            .AddColumn(new TableColumn("elements").RightAligned());
        foreach (var t in reader.Tensors)
            table.AddRow(Markup.Escape(t.Name), t.DType.HeaderName(), Markup.Escape(SafeTensorsDTypes.FormatShape(t.Shape)), t.ElementCount.ToString("N0", CultureInfo.InvariantCulture));
        table.Caption($"{reader.Tensors.Count} tensors, {Elements(reader.Tensors).ToString("N0", CultureInfo.InvariantCulture)} parameters");
        AnsiConsole.Write(table);
        foreach (var (key, value) in reader.Metadata) Console.WriteLine($"metadata {key} = {value}");
        Console.WriteLine($"parameters: {Elements(reader.Tensors).ToString(CultureInfo.InvariantCulture)}");
    }

    private static long Elements(IEnumerable<SafeTensorInfo> tensors) => tensors.Sum(t => t.ElementCount);
}
