using ActorTrain.Actors.Settings;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using static TorchSharp.torch;

namespace ActorTrain.Actors.Training;

/// <summary>
/// Builds the configured optimizer (<c>actortrain.train.optimizer</c>) for one range of the flat parameter buffer —
/// for a rank (all of it, or its ZeRO shards) and for a parameter-server shard alike, so both apply the same update.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>A builder of the optimizer for a range (offset, length) of a model with these <paramref name="entries"/>.</summary>
    public static Func<int, int, IFlatOptimizer> For(TrainSettings train, IReadOnlyList<FlatParameterEntry> entries)
    {
        // Biases and LayerNorm weights (every 1-D parameter) are excluded from weight decay, as in nanoGPT.
        var noDecay = entries.Where(e => e.Shape.Length < 2)
            .Select(e => new ParameterGroup(checked((int)e.Offset), checked((int)e.Length), 0)).ToArray();
        return train.Optimizer switch
        {
            OptimizerKind.AdamW => (offset, length) => new AdamW(offset, length, new AdamWOptions(train.Beta1, train.Beta2, train.Eps, train.WeightDecay), noDecay),
            OptimizerKind.Sgd => (offset, length) => new SgdMomentum(offset, length, new SgdOptions(train.Momentum, WeightDecay: train.WeightDecay), noDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(train), train.Optimizer, "unknown optimizer"),
        };
    }

    /// <summary>
    /// The optimizer builder for parameter-server shards (<c>actortrain.job.sync.ps.apply-optimizer</c>). The flat
    /// layout (which ranges are decayed) comes from the same model settings the ranks use: the model is built once on
    /// the CPU, on first use, to read it.
    /// </summary>
    public static Func<int, int, Sync.ParameterServer.IShardOptimizer> ForParameterServerShards(ActorTrainSettings settings)
    {
        var build = new Lazy<Func<int, int, IFlatOptimizer>>(() =>
        {
            var config = ModelFactory.ConfigFor(settings.Model);
            using var generator = new Generator(unchecked((ulong)settings.Train.Seed));
            // Under LoRA the layout is the adapters' (the base's values do not matter for it, so it is not loaded).
            var lora = settings.Job.Kind == JobKind.Finetune ? settings.Finetune.Lora : null;
            using var model = new Gpt(config, generator, CPU, lora: lora);
            using var flat = new FlatParameters(model);
            return For(settings.Train, flat.Entries);
        });
        return (start, length) => new FlatShardOptimizer(build.Value(start, length));
    }
}
