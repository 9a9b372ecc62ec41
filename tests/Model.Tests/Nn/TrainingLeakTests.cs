using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Tensors;
using ActorTrain.Model.Tests.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Nn;

[Collection(LiveTensorCountCollection.Name)]
public sealed class TrainingLeakTests
{
    [Fact]
    public void Two_hundred_training_steps_leave_the_live_tensor_count_unchanged()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Torch.LiveTensorCount;
        double firstLoss = 0, lastLoss = 0;
        using (var gen = new Generator(9))
        using (var model = new Gpt(GptConfig.Tiny, gen))
        using (var flat = new FlatParameters(model))
        {
            var config = GptConfig.Tiny;
            for (var step = 0; step < 200; step++)
            {
                using var scope = TensorScope.Enter();
                // A learnable pattern: the next token is the current one + 1.
                var start = Tensor.RandInt(0, config.VocabSize - 9, [4, 1], gen);
                var sequence = start + Tensor.Arange(0, 9);
                var input = sequence.Narrow(1, 0, 8);
                var target = sequence.Narrow(1, 1, 8);
                flat.ZeroGradients();
                var result = CrossEntropy.Compute(model.Forward(input), target, Reduction.Sum);
                using (var mean = result.Loss / result.Count) mean.Backward();
                var loss = result.Loss.Item() / result.Count;
                if (step == 0) firstLoss = loss;
                lastLoss = loss;
                var p = flat.ParameterSpan;
                var g = flat.GradientSpan;
                for (var i = 0; i < p.Length; i++) p[i] -= 0.5f * g[i];
            }
        }
        Assert.True(lastLoss < firstLoss * 0.5, $"loss {firstLoss} -> {lastLoss}");
        Assert.Equal(before, Torch.LiveTensorCount);
    }
}
