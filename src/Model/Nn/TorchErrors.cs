using System.Runtime.InteropServices;

namespace ActorTrain.Model.Nn;

/// <summary>Turns libtorch failures that a user can act on into messages that say what to change.</summary>
public static class TorchErrors
{
    /// <summary>Whether <paramref name="e"/> is libtorch failing to allocate (CPU "can't allocate memory"/"not enough memory" or CUDA "out of memory").</summary>
    public static bool IsOutOfMemory(Exception e) =>
        e is ExternalException or OutOfMemoryException &&
        (e.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) ||
         e.Message.Contains("Failed to allocate", StringComparison.OrdinalIgnoreCase));

    /// <summary>An <see cref="InsufficientMemoryException"/> naming the model size, the batch and what to lower.</summary>
    public static InsufficientMemoryException OutOfMemory(GptConfig config, int microBatchSize, string device, Exception inner)
    {
        var firstLine = inner.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
        return new InsufficientMemoryException(
            $"out of memory on {device} training a {config.ParameterCount():N0}-parameter GPT (width {config.Width}, {config.Layers} layers, " +
            $"context {config.ContextLength}) with micro-batch {microBatchSize} × {config.ContextLength} tokens; lower " +
            $"actortrain.train.micro-batch-size (raise grad-accum-steps to keep the global batch) or the model size. libtorch said: {firstLine}",
            inner);
    }
}
