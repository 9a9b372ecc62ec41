namespace ActorTrain.Model.Sampling;

/// <summary>
/// Where a <see cref="DistributedSampler"/> stands: the epoch and how many of this rank's indices of that
/// epoch have been consumed. Saved in checkpoints so a resumed run continues with the next unseen index.
/// </summary>
/// <param name="Epoch">The epoch (seeds the shuffle together with the sampler's seed).</param>
/// <param name="Position">Indices of this rank already consumed in <paramref name="Epoch"/>, 0..NumSamples.</param>
public readonly record struct SamplerState(long Epoch, int Position);
