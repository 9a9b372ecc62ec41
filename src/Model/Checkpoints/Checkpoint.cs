using ActorTrain.Model.Optim;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// One complete checkpoint directory (<c>step-000120/</c>): <c>model.safetensors</c>,
/// <c>optimizer.safetensors</c> (when an optimizer was saved), <c>state.json</c> and <c>manifest.json</c> (the
/// others' sizes and SHA-256), which is written last and therefore marks the directory complete.
/// </summary>
public sealed class Checkpoint
{
    /// <summary>File name of the model weights.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>File name of the optimizer state.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    /// <summary>File name of the training state (written last).</summary>
    public const string StateFileName = "state.json";

    private Checkpoint(string directory, TrainingState state)
    {
        Directory = directory;
        State = state;
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The training state (step, sampler, schedule, RNG states, config).</summary>
    public TrainingState State { get; }

    /// <summary>Path of the model weights file.</summary>
    public string ModelPath => Path.Combine(Directory, ModelFileName);

    /// <summary>Path of the optimizer state file.</summary>
    public string OptimizerPath => Path.Combine(Directory, OptimizerFileName);

    /// <summary>Whether the checkpoint holds optimizer state.</summary>
    public bool HasOptimizerState => File.Exists(OptimizerPath);

    /// <summary>Opens a checkpoint directory: verifies every file against manifest.json, then reads state.json.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="CheckpointIntegrityException">The manifest is missing, or a file is missing, truncated or
    /// corrupted; the message names the file.</exception>
    /// <exception cref="SafeTensorsFormatException">state.json is not a valid state file.</exception>
    public static Checkpoint Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"checkpoint directory {directory} does not exist.");
        }
        CheckpointManifest.Verify(directory);
        var state = TrainingStateFile.Read(Path.Combine(directory, StateFileName));
        return new Checkpoint(directory, state);
    }

    /// <summary>Loads the model weights into <paramref name="flatParameters"/> after checking names, shapes, dtypes.</summary>
    /// <exception cref="CheckpointMismatchException">Names the file and the first mismatching tensor.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is truncated or corrupted.</exception>
    public void LoadModel(IReadOnlyList<FlatTensorEntry> entries, Span<float> flatParameters)
    {
        if (!File.Exists(ModelPath))
        {
            throw new FileNotFoundException($"checkpoint {Directory} has no {ModelFileName}.", ModelPath);
        }
        ModelWeightsFile.Load(ModelPath, entries, flatParameters);
    }

    /// <summary>Loads the full-buffer optimizer state; slice it for shards with <see cref="OptimizerState.Slice"/>.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint has no optimizer state.</exception>
    /// <exception cref="CheckpointMismatchException">Another optimizer kind or a mismatching tensor.</exception>
    public OptimizerState LoadOptimizer(IReadOnlyList<FlatTensorEntry> entries, int totalLength, string expectedKind)
    {
        if (!HasOptimizerState)
        {
            throw new FileNotFoundException($"checkpoint {Directory} has no {OptimizerFileName}; it was saved without optimizer state.", OptimizerPath);
        }
        return OptimizerStateFile.Load(OptimizerPath, entries, totalLength, expectedKind);
    }
}
