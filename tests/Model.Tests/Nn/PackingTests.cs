using ActorTrain.Model.Data;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

/// <summary>Sequence packing: several samples in one row with restarting positions and a block-diagonal causal mask
/// must compute exactly what the samples compute alone.</summary>
public sealed class PackingTests
{
    private static readonly GptConfig Config = GptConfig.Tiny with { Layers = 2 };

    private static TrainingSequence Sample(int length, int seed, bool maskPrompt = false)
    {
        var random = new Random(seed);
        var tokens = Enumerable.Range(0, length).Select(_ => (long)random.Next(Config.VocabSize)).ToArray();
        var labels = tokens.Select((t, i) => maskPrompt && i < length / 2 ? TrainingSequence.IgnoreIndex : t).ToArray();
        return new TrainingSequence(tokens, labels);
    }

    private static (float Loss, Tensor Logits) Run(Gpt model, Batch batch)
    {
        var inputs = tensor(batch.Inputs, batch.Shape);
        var targets = tensor(batch.Targets, batch.Shape);
        var logits = batch.PositionIds is null
            ? model.forward(inputs)
            : model.forward(inputs, tensor(batch.PositionIds, batch.Shape), tensor(batch.SegmentIds!, batch.Shape));
        return (CrossEntropy.Compute(logits, targets, nn.Reduction.Sum).Loss.item<float>(), logits);
    }

    [Fact]
    public void The_loss_of_a_packed_batch_is_the_sum_of_the_samples_losses()
    {
        using var gen = new Generator(3);
        using var model = new Gpt(Config, gen);
        model.eval();
        using var scope = NewDisposeScope();
        var samples = new[] { Sample(5, 1), Sample(7, 2, maskPrompt: true), Sample(4, 3), Sample(12, 4), Sample(9, 5) };
        var batcher = new Batcher(Config.ContextLength);
        var packed = batcher.CollatePacked(samples);
        Assert.True(packed.BatchSize < samples.Length, $"{packed.BatchSize} rows for {samples.Length} samples");
        Assert.Equal(samples.Sum(s => Batcher.CountTargetTokens(s.Labels.AsSpan(1))), packed.TargetTokenCount);
        var alone = samples.Sum(s => (double)Run(model, batcher.Collate([s])).Loss);
        var together = Run(model, packed).Loss;
        Assert.True(Math.Abs(together - alone) <= 1e-5 * Math.Abs(alone), $"packed {together} vs Σ individual {alone}");
    }

    [Fact]
    public void A_samples_logits_do_not_change_when_another_sample_is_packed_beside_it()
    {
        using var gen = new Generator(4);
        using var model = new Gpt(Config, gen);
        model.eval();
        using var scope = NewDisposeScope();
        var batcher = new Batcher(Config.ContextLength);
        var sample = Sample(6, 7);
        var alone = Run(model, batcher.CollatePacked([sample])).Logits.narrow(1, 0, 5);
        var packed = batcher.CollatePacked([Sample(9, 8), sample]);
        Assert.Equal(1, packed.BatchSize);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, packed.PositionIds!.Skip(8).Take(5));
        var beside = Run(model, packed).Logits.narrow(1, 8, 5);
        var difference = (alone - beside).abs().max().item<float>();
        Assert.True(difference <= 1e-5, $"max |Δlogit| = {difference}");
        // Without the block-diagonal mask the neighbour would leak in: the check can fail.
        var leaky = model.forward(tensor(packed.Inputs, packed.Shape), tensor(packed.PositionIds!, packed.Shape), zeros(packed.Shape, dtype: int64)).narrow(1, 8, 5);
        Assert.True((alone - leaky).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void Packing_cuts_the_padding()
    {
        var batcher = new Batcher(Config.ContextLength);
        var samples = Enumerable.Range(0, 8).Select(i => Sample(3 + i % 4, i)).Append(Sample(16, 99)).ToArray();
        var plain = batcher.Collate(samples);
        var packed = batcher.CollatePacked(samples);
        Assert.Equal(plain.TargetTokenCount, packed.TargetTokenCount);
        Assert.Equal(plain.Inputs.Length - plain.PaddingPositions, packed.Inputs.Length - packed.PaddingPositions);
        Assert.True(packed.PaddingPositions < plain.PaddingPositions / 4, $"padding {packed.PaddingPositions} packed vs {plain.PaddingPositions}");
    }
}
