namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// A well-formed checkpoint does not fit the model or optimizer it is loaded into (missing, unexpected,
/// mis-shaped or mis-typed tensor, other optimizer kind). The message names the file and the first mismatch.
/// </summary>
public sealed class CheckpointMismatchException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointMismatchException(string filePath, string? tensorName, string message)
        : base(filePath, tensorName, message, null)
    {
    }
}
