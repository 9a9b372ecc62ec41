namespace ActorTrain.Model.Tensors;

/// <summary>A libtorch error (bad shape, dtype mismatch, out-of-range index, …) surfaced as a .NET exception.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception for a failed <paramref name="operation"/> with libtorch's message.</summary>
    public TorchException(string operation, string torchMessage)
        : base($"{operation} failed: {torchMessage}")
    {
        Operation = operation;
        TorchMessage = torchMessage;
    }

    /// <summary>The tensor operation that failed (e.g. "matmul").</summary>
    public string Operation { get; }

    /// <summary>libtorch's own message, without its C++ backtrace.</summary>
    public string TorchMessage { get; }
}
