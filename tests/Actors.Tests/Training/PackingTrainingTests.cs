using ActorTrain.Actors.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>data.pack changes how a micro-batch is laid out, not what it computes.</summary>
public sealed class PackingTrainingTests
{
    [Fact]
    public void Packed_training_matches_unpacked_training_and_logs_the_padding()
    {
        using var dir = new TempRunDir();
        ActorTrainSettings Settings(bool pack, string sub)
        {
            var s = TrainingTestSupport.TinySettings(dir.Sub(sub), steps: 3, microBatch: 8);
            return s with { Data = s.Data with { Pack = pack }, Train = s.Train with { Optimizer = OptimizerKind.Sgd, Lr = 0.5 } };
        }
        var loggers = new CapturingLoggerFactory();
        var packed = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(true, "packed"), loggers));
        var plain = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(false, "plain")));
        var relative = TrainingTestSupport.RelativeNormDifference(packed.FinalParameters, plain.FinalParameters);
        Assert.True(relative <= 1e-5, $"‖packed − plain‖/‖plain‖ = {relative:E2}");
        Assert.Contains(loggers.Lines, l => l.Contains("padding:", StringComparison.Ordinal) && l.Contains("data.pack = on", StringComparison.Ordinal));
        Assert.Contains(loggers.Lines, l => l.Contains("supervised", StringComparison.Ordinal));
    }
}
