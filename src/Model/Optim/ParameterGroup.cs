namespace ActorTrain.Model.Optim;

/// <summary>
/// A range of the flat parameter buffer sharing optimizer settings — PyTorch's param_groups, as ranges.
/// Used to exclude biases and LayerNorm weights from weight decay.
/// </summary>
/// <param name="Offset">First element, in coordinates of the FULL flat buffer (not of a shard).</param>
/// <param name="Length">Number of elements.</param>
/// <param name="WeightDecay">Weight decay for these elements (0 disables it).</param>
public readonly record struct ParameterGroup(int Offset, int Length, double WeightDecay);
