namespace ActorTrain.Model.Data;

/// <summary>The share of input positions that are padding, for micro-batches collated plain and packed.</summary>
public static class PaddingStats
{
    /// <summary>Padding fractions over the first <paramref name="maxBatches"/> consecutive micro-batches of <paramref name="data"/>.</summary>
    public static (double Plain, double Packed) Of(ISequenceDataset data, Batcher batcher, int microBatchSize, int maxBatches = 50)
    {
        long plainPad = 0, plainAll = 0, packedPad = 0, packedAll = 0;
        var batch = new List<TrainingSequence>(microBatchSize);
        for (var start = 0; start < data.Count && start / microBatchSize < maxBatches; start += microBatchSize)
        {
            batch.Clear();
            for (var i = start; i < Math.Min(data.Count, start + microBatchSize); i++) batch.Add(data[i]);
            var plain = batcher.Collate(batch);
            var packed = batcher.CollatePacked(batch);
            plainPad += plain.PaddingPositions;
            plainAll += plain.Inputs.Length;
            packedPad += packed.PaddingPositions;
            packedAll += packed.Inputs.Length;
        }
        return (plainAll == 0 ? 0 : (double)plainPad / plainAll, packedAll == 0 ? 0 : (double)packedPad / packedAll);
    }
}
