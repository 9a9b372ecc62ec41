namespace ActorTrain.Model.Data;

/// <summary>An indexable dataset of training sequences (what a sampler's indices select from).</summary>
public interface ISequenceDataset
{
    /// <summary>Number of sequences.</summary>
    int Count { get; }

    /// <summary>The sequence at <paramref name="index"/> (0 ≤ index &lt; Count).</summary>
    TrainingSequence this[int index] { get; }
}
