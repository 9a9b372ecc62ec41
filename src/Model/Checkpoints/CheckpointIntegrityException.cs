namespace ActorTrain.Model.Checkpoints;

/// <summary>A checkpoint file does not match its manifest (corrupted, truncated, missing) or the manifest is absent.</summary>
public sealed class CheckpointIntegrityException : CheckpointException
{
    /// <summary>Creates the exception; <paramref name="message"/> names the file.</summary>
    public CheckpointIntegrityException(string filePath, string message, Exception? inner = null)
        : base(filePath, null, message, inner)
    {
    }
}
