using static TorchSharp.torch;

namespace ActorTrain.Model.Losses;

/// <summary>A loss tensor and the number of targets that contributed to it (targets ≠ ignore_index).</summary>
/// <param name="Loss">The reduced loss (scalar) or per-element losses for <c>Reduction.None</c>.</param>
/// <param name="Count">Non-ignored targets.</param>
public readonly record struct LossResult(Tensor Loss, long Count);
