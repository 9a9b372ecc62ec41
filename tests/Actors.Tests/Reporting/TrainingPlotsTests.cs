using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Tests.Training;
using Xunit;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>loss.png and throughput.png: valid PNGs with the series drawn where the data puts them.</summary>
public sealed class TrainingPlotsTests
{
    /// <summary>Loss falling from 4 to 1 over 100 steps, an evaluation every 20, warmup then decay of the rate, throughput ~1000.</summary>
    private static List<TrainingEvent> FallingLoss()
    {
        var events = new List<TrainingEvent>();
        for (var step = 1; step <= 100; step++)
        {
            events.Add(new TrainingEvent
            {
                Kind = "step", Step = step, TotalSteps = 100, Loss = 1 + 3 * Math.Exp(-step / 20.0),
                LearningRate = step < 10 ? 1e-3 * step / 10 : 1e-3 * (1 - (step - 10) / 100.0), TokensPerSecond = 1000 + 50 * Math.Sin(step),
            });
            if (step % 20 == 0) events.Add(new TrainingEvent { Kind = "eval", Step = step, TotalSteps = 100, ValidationLoss = 1.2 + 3 * Math.Exp(-step / 20.0) });
        }
        return events;
    }

    [Fact]
    public void The_loss_plot_draws_train_loss_falling_validation_points_and_the_learning_rate()
    {
        using var dir = new TempRunDir();
        Directory.CreateDirectory(dir.Path);
        var files = TrainingPlots.Write(dir.Path, FallingLoss(), "falling");
        Assert.Equal([Path.Combine(dir.Path, "loss.png"), Path.Combine(dir.Path, "throughput.png")], files);

        var loss = PngPixels.Load(files[0]);
        Assert.Equal((TrainingPlots.Width, TrainingPlots.Height), (loss.Bitmap.Width, loss.Bitmap.Height));
        var train = loss.Where(TrainingPlots.TrainColor);
        Assert.True(train.Count > 300, $"only {train.Count} train-loss pixels");
        Assert.True(loss.Where(TrainingPlots.ValidationColor).Count > 50, "no validation-loss markers");
        Assert.True(loss.Where(TrainingPlots.LearningRateColor).Count > 300, "no learning-rate line");
        // Falling loss: the line starts high on the left and ends low on the right (image y grows downwards).
        int minX = train.Min(p => p.X), maxX = train.Max(p => p.X), span = maxX - minX;
        double left = train.Where(p => p.X < minX + span / 10).Average(p => p.Y), right = train.Where(p => p.X > maxX - span / 10).Average(p => p.Y);
        Assert.True(left < right - 100, $"train loss should fall left to right: mean y {left:0} at the left, {right:0} at the right");

        var throughput = PngPixels.Load(files[1]);
        Assert.True(throughput.Where(TrainingPlots.ThroughputColor).Count > 300, "no tokens/s line");
    }

    [Fact]
    public void Without_events_the_plots_are_valid_but_carry_no_series()
    {
        // The pixel checks above can fail: an empty run draws axes and a note, none of the series colours.
        using var dir = new TempRunDir();
        Directory.CreateDirectory(dir.Path);
        var files = TrainingPlots.Write(dir.Path, [new TrainingEvent { Kind = "step", Step = 1, Loss = double.NaN }], "empty");
        var loss = PngPixels.Load(files[0]);
        Assert.Empty(loss.Where(TrainingPlots.TrainColor));
        Assert.Empty(loss.Where(TrainingPlots.ValidationColor));
        Assert.Empty(PngPixels.Load(files[1]).Where(TrainingPlots.ThroughputColor));
    }

    [Fact]
    public void A_run_draws_both_plots_at_each_checkpoint_and_at_the_end()
    {
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: 4, microBatch: 4);
        var watcher = new PlotWatcher(dir.Path);
        TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s with { Train = s.Train with { SaveEvery = 2 } }), watcher);
        // The step-3 event comes after the checkpoint of step 2: loss.png then holds steps 1-2; at the end, 1-4.
        Assert.True(watcher.AfterFirstCheckpoint is not null, "no loss.png after the checkpoint of step 2");
        Assert.True(watcher.TrainPixelsAfterFirstCheckpoint > 0, "no train-loss line in the loss.png of step 2");
        Assert.NotEqual(watcher.AfterFirstCheckpoint, File.ReadAllBytes(Path.Combine(dir.Path, "loss.png")));
        Assert.True(PngPixels.Load(Path.Combine(dir.Path, "loss.png")).Where(TrainingPlots.TrainColor).Count > 100);
        Assert.True(PngPixels.Load(Path.Combine(dir.Path, "throughput.png")).Where(TrainingPlots.ThroughputColor).Count > 100);
    }

    /// <summary>Looks at loss.png when the step-3 event arrives (on the training thread, so the run waits for it; the
    /// end-of-run redraw is not requested before step 4).</summary>
    private sealed class PlotWatcher(string runDir) : EventRecorder
    {
        public int TrainPixelsAfterFirstCheckpoint { get; private set; } = -1;

        public byte[]? AfterFirstCheckpoint { get; private set; }

        public override void OnEvent(TrainingEvent e)
        {
            base.OnEvent(e);
            var path = Path.Combine(runDir, TrainingPlots.LossFile);
            if (e.Kind != "step" || e.Step != 3) return;
            // Rank 0 draws in the background: give the redraw requested at the checkpoint of step 2 time to land.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(path) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            if (File.Exists(path))
            {
                AfterFirstCheckpoint = File.ReadAllBytes(path);
                TrainPixelsAfterFirstCheckpoint = PngPixels.Load(path).Where(TrainingPlots.TrainColor).Count;
            }
        }
    }
}
