using System.Globalization;
using System.Text.RegularExpressions;
using ActorTrain.Model.Optim;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// The checkpoints of one run directory: <c>{run}/step-000120/…</c>. Saving writes the tensor files, then
/// <c>state.json</c>, then <c>manifest.json</c> (sizes and SHA-256 of the others), each atomically, so a directory
/// without a manifest is an interrupted save and is ignored by <see cref="LatestStep"/>; opening a checkpoint verifies
/// the manifest. Optionally keeps only the newest N checkpoints.
/// </summary>
public sealed partial class CheckpointStore
{
    /// <summary>Creates a store over <paramref name="runDirectory"/>.</summary>
    /// <param name="runDirectory">The run directory (created on first save).</param>
    /// <param name="keepLast">Keep only this many newest complete checkpoints (null = keep all).</param>
    public CheckpointStore(string runDirectory, int? keepLast = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (keepLast is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep-last must be at least 1 (or unset to keep every checkpoint).");
        }
        RunDirectory = runDirectory;
        KeepLast = keepLast;
    }

    /// <summary>The run directory.</summary>
    public string RunDirectory { get; }

    /// <summary>How many complete checkpoints are kept (null = all).</summary>
    public int? KeepLast { get; }

    /// <summary>The directory name of <paramref name="step"/>: <c>step-000120</c>.</summary>
    public static string DirectoryName(long step) => "step-" + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The directory of <paramref name="step"/> in this run.</summary>
    public string DirectoryOf(long step) => Path.Combine(RunDirectory, DirectoryName(step));

    /// <summary>
    /// Saves a checkpoint for <c>state.Step</c> and returns its directory. Re-saving an existing step first
    /// invalidates it (removes its state.json), so a crash mid-save never leaves a mixed checkpoint.
    /// </summary>
    /// <param name="state">Training state; its Step names the directory.</param>
    /// <param name="parameters">Where each named parameter lives in <paramref name="flatParameters"/>.</param>
    /// <param name="flatParameters">The flat parameter buffer.</param>
    /// <param name="optimizer">Full-buffer optimizer state (merge shards first), or null.</param>
    public string Save(TrainingState state, IReadOnlyList<FlatTensorEntry> parameters, ReadOnlyMemory<float> flatParameters, OptimizerState? optimizer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(state.Step);
        FlatTensorEntry.Validate(parameters, flatParameters.Length);
        var directory = DirectoryOf(state.Step);
        Directory.CreateDirectory(directory);
        AtomicFile.SyncDirectory(RunDirectory);
        SetAsideIfDamaged(directory);
        Directory.CreateDirectory(directory);
        AtomicFile.DeleteDurably(Path.Combine(directory, CheckpointManifest.FileName));
        AtomicFile.DeleteDurably(Path.Combine(directory, Checkpoint.StateFileName));
        ModelWeightsFile.Write(Path.Combine(directory, Checkpoint.ModelFileName), parameters, flatParameters);
        if (optimizer is not null)
        {
            OptimizerStateFile.Write(Path.Combine(directory, Checkpoint.OptimizerFileName), parameters, optimizer);
        }
        else
        {
            AtomicFile.DeleteDurably(Path.Combine(directory, Checkpoint.OptimizerFileName));
        }
        TrainingStateFile.Write(Path.Combine(directory, Checkpoint.StateFileName), state);
        CheckpointManifest.Write(directory, optimizer is not null
            ? [Checkpoint.ModelFileName, Checkpoint.OptimizerFileName, Checkpoint.StateFileName]
            : [Checkpoint.ModelFileName, Checkpoint.StateFileName]);
        ApplyRetention();
        return directory;
    }

    /// <summary>Steps of the complete checkpoints (those with a manifest.json, written last), ascending.</summary>
    public IReadOnlyList<long> CompleteSteps()
        => StepDirectories().Where(d => File.Exists(Path.Combine(d.Path, CheckpointManifest.FileName))).Select(d => d.Step).ToArray();

    /// <summary>The highest complete step, or null when the run has no complete checkpoint.</summary>
    public long? LatestStep()
    {
        var steps = CompleteSteps();
        return steps.Count == 0 ? null : steps[^1];
    }

    /// <summary>
    /// Opens the newest complete checkpoint that passes verification, or returns null when there is none. A newer one
    /// that fails (corrupted, truncated) is skipped and reported through <paramref name="onSkipped"/> (its error message);
    /// it is left in place for inspection.
    /// </summary>
    public Checkpoint? OpenLatest(Action<string>? onSkipped = null)
    {
        foreach (var step in CompleteSteps().Reverse())
        {
            try
            {
                return Checkpoint.Open(DirectoryOf(step));
            }
            catch (CheckpointException e)
            {
                onSkipped?.Invoke(e.Message);
            }
        }
        return null;
    }

    /// <summary>Opens the checkpoint of <paramref name="step"/>.</summary>
    public Checkpoint Open(long step) => Checkpoint.Open(DirectoryOf(step));

    /// <summary>
    /// Resolves a resume setting: "latest" (newest complete checkpoint of this run; an error naming the
    /// run directory if none) or a path to a checkpoint directory.
    /// </summary>
    public Checkpoint Resolve(string resume, Action<string>? onSkipped = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resume);
        if (string.Equals(resume, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return OpenLatest(onSkipped) ?? throw new DirectoryNotFoundException(
                $"resume = latest, but {RunDirectory} holds no complete, intact checkpoint (no step-NNNNNN directory with a verified manifest.json).");
        }
        return Checkpoint.Open(resume);
    }

    /// <summary>
    /// A complete checkpoint at the step about to be saved that fails verification (e.g. the one a resume skipped) is
    /// renamed to step-NNNNNN.damaged[-k] rather than overwritten, so the evidence stays.
    /// </summary>
    private static void SetAsideIfDamaged(string directory)
    {
        if (!File.Exists(Path.Combine(directory, CheckpointManifest.FileName))) return;
        try
        {
            CheckpointManifest.Verify(directory);
            return;
        }
        catch (CheckpointIntegrityException)
        {
        }
        var target = directory + ".damaged";
        for (var k = 2; Directory.Exists(target); k++) target = $"{directory}.damaged-{k}";
        Directory.Move(directory, target);
    }

    private void ApplyRetention()
    {
        if (KeepLast is not { } keep)
        {
            return;
        }
        var complete = CompleteSteps();
        if (complete.Count <= keep)
        {
            return;
        }
        var oldestKept = complete[^keep];
        foreach (var (step, path) in StepDirectories())
        {
            if (step < oldestKept)
            {
                // Invalidate first, so a crash during deletion leaves an incomplete (ignored) directory.
                AtomicFile.DeleteDurably(Path.Combine(path, CheckpointManifest.FileName));
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private IEnumerable<(long Step, string Path)> StepDirectories()
    {
        if (!Directory.Exists(RunDirectory))
        {
            return [];
        }
        return Directory.EnumerateDirectories(RunDirectory)
            .Select(path => (Match: StepDirectoryPattern().Match(Path.GetFileName(path)), Path: path))
            .Where(x => x.Match.Success && long.TryParse(x.Match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(x => (long.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderBy(x => x.Item1)
            .ToArray();
    }

    [GeneratedRegex(@"^step-(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex StepDirectoryPattern();
}
