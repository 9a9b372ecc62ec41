namespace ActorTrain.Model.Checkpoints;

/// <summary>A safetensors or checkpoint file is truncated, corrupted or not in the expected format.</summary>
public sealed class SafeTensorsFormatException : CheckpointException
{
    /// <summary>Creates the exception; the message already names the file (and tensor, when known).</summary>
    public SafeTensorsFormatException(string filePath, string? tensorName, string message, Exception? inner = null)
        : base(filePath, tensorName, message, inner)
    {
    }
}
