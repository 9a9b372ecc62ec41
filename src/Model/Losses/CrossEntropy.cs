using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace ActorTrain.Model.Losses;

/// <summary>Cross entropy over class logits (torch.nn.functional.cross_entropy) that also counts the scored targets.</summary>
public static class CrossEntropy
{
    /// <summary>The label that contributes nothing (PyTorch's default ignore_index).</summary>
    public const long DefaultIgnoreIndex = -100;

    /// <summary>
    /// Loss of <paramref name="logits"/> (N, C) or (B, T, C) against int64 <paramref name="targets"/> (N) or (B, T);
    /// targets equal to <paramref name="ignoreIndex"/> are skipped. Also counts the non-ignored targets.
    /// </summary>
    public static LossResult Compute(Tensor logits, Tensor targets, Reduction reduction = Reduction.Mean,
        long ignoreIndex = DefaultIgnoreIndex, double labelSmoothing = 0)
    {
        var flatLogits = logits.dim() > 2 ? logits.flatten(0, -2) : logits;
        var flatTargets = targets.dim() > 1 ? targets.flatten() : targets;
        var loss = F.cross_entropy(flatLogits, flatTargets, ignore_index: ignoreIndex, reduction: reduction, label_smoothing: labelSmoothing);
        using var counted = flatTargets.ne(ignoreIndex).sum();
        return new LossResult(loss, counted.item<long>());
    }
}
