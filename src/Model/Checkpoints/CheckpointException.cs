namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Base of checkpoint and safetensors errors. The message names the file and, where it applies, the
/// tensor; <see cref="FilePath"/> and <see cref="TensorName"/> carry them for callers that react.
/// </summary>
public abstract class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected CheckpointException(string filePath, string? tensorName, string message, Exception? inner)
        : base(message, inner)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }

    /// <summary>The offending tensor, when the problem is specific to one.</summary>
    public string? TensorName { get; }
}
