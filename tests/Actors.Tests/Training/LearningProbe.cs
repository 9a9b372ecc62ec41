using Xunit;
using ActorTrain.Actors.Settings;
using Xunit.Abstractions;

namespace ActorTrain.Actors.Tests.Training;

public sealed class LearningProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var env = Environment.GetEnvironmentVariable("PROBE");
        if (env is null) return;
        var p = env.Split(',').Select(double.Parse).ToArray(); // steps, batch, width, layers, lr, threads
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: (int)p[0], microBatch: (int)p[1], width: (int)p[2], layers: (int)p[3]);
        s = s with
        {
            Model = s.Model with { Heads = 4 },
            Data = s.Data with { TrainSize = 9500, ValSize = 500 },
            Train = s.Train with { Lr = p[4], MinLr = p[4] / 10, WarmupSteps = 20, LogEvery = 50, EvalEvery = (int)p[0] / 4, EvalSamples = 500, Threads = (int)p[5], WeightDecay = 0.01 },
        };
        var rec = new EventRecorder();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var outcome = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s), rec);
        foreach (var e in rec.Events) output.WriteLine(ActorTrain.Actors.Reporting.EventLine.Format(e));
        output.WriteLine($"secs {sw.Elapsed.TotalSeconds:F1} exact {outcome.ExactMatch} val {outcome.ValidationLoss}");
    }
}
