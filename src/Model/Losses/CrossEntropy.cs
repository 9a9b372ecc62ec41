using ActorTrain.Model.Native;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Losses;

/// <summary>Cross entropy over class logits (torch.nn.functional.cross_entropy).</summary>
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
        using var scope = TensorScope.Enter();
        var flatLogits = logits.Dim > 2 ? logits.Flatten(0, -2) : logits;
        var flatTargets = targets.Dim > 1 ? targets.Flatten() : targets;
        var loss = Tensor.Wrap(NativeMethods.atn_cross_entropy(flatLogits.Handle, flatTargets.Handle, ignoreIndex,
            (int)reduction, labelSmoothing), "cross_entropy");
        var count = flatTargets.Ne(ignoreIndex).Sum().ItemInt64();
        return new LossResult(scope.Keep(loss), count);
    }
}
