using ActorTrain.Actors.Training;
using Xunit;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>The engine learns: a small GPT on two-digit sums, seeded, single process on one CPU thread.</summary>
public sealed class LearningTests
{
    /// <summary>
    /// 250 steps × 256 sums (≈2.3k tokens/step), width 64, 2 layers, lr 3e-3: about a minute on one core. The 90% bar
    /// takes ~400 steps; see README "Training" (actortrain train with hocon/examples/arithmetic-90.conf).
    /// </summary>
    [Fact]
    public void Two_digit_sums_reach_at_least_60_percent_validation_exact_match_in_250_steps()
    {
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: 250, microBatch: 256, width: 64, layers: 2);
        s = s with
        {
            Model = s.Model with { Heads = 4 },
            Data = s.Data with { TrainSize = 9500, ValSize = 500 },
            Train = s.Train with { Lr = 3e-3, InitialLr = 0, MinLr = 3e-4, WarmupSteps = 20, LogEvery = 50, EvalSamples = 500, WeightDecay = 0.01 },
        };
        var outcome = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s));
        Assert.NotNull(outcome.ExactMatch);
        Assert.True(outcome.ExactMatch >= 0.60, $"exact-match {outcome.ExactMatch:P1} after 250 steps (validation loss {outcome.ValidationLoss:0.000})");
        Assert.NotEmpty(outcome.Samples);
    }
}
