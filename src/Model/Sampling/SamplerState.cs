namespace ActorTrain.Model.Sampling;

/// <summary>
/// Where a <see cref="DistributedSampler"/> stands: the epoch and how many of this rank's indices of that
/// epoch have been consumed. Saved in checkpoints so a resumed run continues with the next unseen index.
/// </summary>
/// <param name="Epoch">The epoch (seeds the shuffle together with the sampler's seed).</param>
/// <param name="Position">Indices of this rank already consumed in <paramref name="Epoch"/>, 0..NumSamples.</param>
/// <param name="Offset">Where in the epoch's order the current split among ranks began: 0, or the global position at
/// which an elastic job re-sharded the epoch for a new world size (see <see cref="DistributedSampler.ResumeAt"/>).</param>
public readonly record struct SamplerState(long Epoch, int Position, long Offset = 0)
{
    /// <summary>Entries of the epoch's order consumed over all <paramref name="worldSize"/> ranks (each rank advances alike).</summary>
    public long GlobalPosition(int worldSize) => Offset + (long)Position * worldSize;
}
