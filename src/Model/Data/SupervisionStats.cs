namespace ActorTrain.Model.Data;

/// <summary>
/// How much of a dataset carries loss once batched for a context length: target positions (tokens after the first, cut
/// at the context as <see cref="Batcher"/> cuts) and supervised ones among them (label not -100: for instruction data
/// the assistant's tokens and their end marker).
/// </summary>
/// <param name="Sequences">Sequences counted.</param>
/// <param name="Positions">Target positions (padding excluded).</param>
/// <param name="Supervised">Positions whose target is not -100.</param>
public sealed record SupervisionStats(int Sequences, long Positions, long Supervised)
{
    /// <summary>Supervised / positions (0 for an empty dataset).</summary>
    public double SupervisedFraction => Positions == 0 ? 0 : (double)Supervised / Positions;

    /// <summary>Counts over the first <paramref name="maxSequences"/> sequences of <paramref name="data"/>.</summary>
    public static SupervisionStats Of(ISequenceDataset data, int contextLength, int maxSequences = int.MaxValue)
    {
        long positions = 0, supervised = 0;
        var n = Math.Min(data.Count, maxSequences);
        for (var i = 0; i < n; i++)
        {
            var s = data[i];
            var used = Math.Clamp(s.Length - 1, 0, contextLength);
            positions += used;
            supervised += Batcher.CountTargetTokens(s.Labels.AsSpan(1, used));
        }
        return new SupervisionStats(n, positions, supervised);
    }
}
