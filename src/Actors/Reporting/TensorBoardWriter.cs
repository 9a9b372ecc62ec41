using static TorchSharp.torch.utils.tensorboard;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Writes a run's step and evaluation events as TensorBoard scalars (<c>events.out.tfevents.*</c> in the run directory,
/// so <c>tensorboard --logdir RUN_DIR</c> shows them) through TorchSharp's <c>SummaryWriter</c>. The tags are fixed
/// (<see cref="ScalarsOf"/>); values are the ones written to <c>metrics.jsonl</c>, as float32 (TensorBoard's
/// <c>simple_value</c>).
/// </summary>
public sealed class TensorBoardWriter
{
    /// <summary>The prefix of TensorBoard event file names.</summary>
    public const string FilePrefix = "events.out.tfevents.";

    private readonly TorchSharp.Modules.SummaryWriter _writer;

    private TensorBoardWriter(string runDirectory)
    {
        _writer = SummaryWriter(runDirectory);
        FilePath = Directory.GetFiles(runDirectory, FilePrefix + "*").Single(); // Open deleted the older ones
    }

    /// <summary>The event file written.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Opens a new event file in <paramref name="runDirectory"/> after deleting the event files already there, and
    /// writes <paramref name="replay"/> into it first: a resumed run replays the metrics it kept (metrics.jsonl cut back
    /// to the resumed step), so the event file holds exactly what metrics.jsonl holds, with no steps of the abandoned
    /// attempt past the checkpoint.
    /// </summary>
    public static TensorBoardWriter Open(string runDirectory, IEnumerable<TrainingEvent> replay)
    {
        Directory.CreateDirectory(runDirectory);
        DeleteEventFiles(runDirectory);
        var writer = new TensorBoardWriter(runDirectory);
        foreach (var e in replay) writer.Write(e);
        return writer;
    }

    /// <summary>Deletes the event files in <paramref name="runDirectory"/>: a fresh run replaces an earlier run's curves,
    /// as it replaces its metrics.jsonl, also when it writes none itself.</summary>
    public static void DeleteEventFiles(string runDirectory)
    {
        if (!Directory.Exists(runDirectory)) return;
        foreach (var old in Directory.GetFiles(runDirectory, FilePrefix + "*")) File.Delete(old);
    }

    /// <summary>Writes the scalars of <paramref name="e"/> (nothing for events without any).</summary>
    public void Write(TrainingEvent e)
    {
        // Wall time in Unix seconds, as TensorBoard reads it: left out, the writer would record DateTime.Now.Ticks.
        // Whole seconds are what it takes (a long); TensorBoard's default x axis is the step anyway.
        var wallTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var step = checked((int)e.Step);
        foreach (var (tag, value) in ScalarsOf(e)) _writer.add_scalar(tag, (float)value, step, wallTime);
    }

    /// <summary>The TensorBoard scalars of an event: tag and value, finite values only.</summary>
    public static IEnumerable<(string Tag, double Value)> ScalarsOf(TrainingEvent e)
    {
        IEnumerable<(string, double?)> candidates = e.Kind switch
        {
            "step" =>
            [
                ("train/loss", e.Loss), ("train/lr", e.LearningRate), ("train/grad_norm", e.GradNorm),
                ("throughput/tokens_per_s", e.TokensPerSecond),
                ("step_time/compute_s", e.ComputeSeconds), ("step_time/sync_wait_s", e.SyncWaitSeconds), ("step_time/optimizer_s", e.OptimizerSeconds),
                .. (e.LayerGradNorms ?? []).Select(kv => ("grad_norm/" + kv.Key, (double?)kv.Value)),
            ],
            "eval" => [("val/loss", e.ValidationLoss), ("val/exact_match", e.ExactMatch)],
            _ => [],
        };
        foreach (var (tag, value) in candidates)
            if (value is { } v && double.IsFinite(v)) yield return (tag, v);
    }
}
