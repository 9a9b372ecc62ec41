using ActorTrain.Actors.Training;
using Xunit;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>Non-finite gradients: a skipped step with a warning; too many in a row stop the job.</summary>
public sealed class NonFiniteGradientTests
{
    [Fact]
    public void A_nan_gradient_skips_the_step_with_a_warning_and_leaves_the_parameters_unchanged()
    {
        using var dir = new TempRunDir();
        var settings = TrainingTestSupport.TinySettings(dir.Path, steps: 3);
        var before = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(settings) with { StopAfterStep = 1 }).FinalParameters;
        var events = new EventRecorder();
        var outcome = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(settings with { Job = settings.Job with { RunDir = dir.Sub("b") } }) with
        {
            StopAfterStep = 2,
            InspectGradients = (step, g) => { if (step == 1) g[5] = float.NaN; },
        }, events);

        Assert.Equal(2, outcome.Steps);
        Assert.Equal(before, outcome.FinalParameters);
        var warning = Assert.Single(events.Events, e => e.Kind == "warning");
        Assert.Equal(2, warning.Step);
        Assert.Contains("non-finite", warning.Message);
    }

    [Fact]
    public async Task Persistent_non_finite_gradients_stop_every_rank_with_a_message()
    {
        using var dir = new TempRunDir();
        var settings = TrainingTestSupport.TinySettings(dir.Path, steps: 10); // max-nonfinite-steps = 3
        var run = TrainingTestSupport.RunGroupAsync(2, SyncStrategy.Ring, rank => TrainingTestSupport.Options(settings) with
        {
            // The synced gradient is identical on every rank, so every rank skips alike and stops at the same step.
            InspectGradients = (step, g) => { if (step >= 2) g[0] = float.PositiveInfinity; },
        });
        var error = await Assert.ThrowsAsync<NonFiniteGradientException>(() => run);
        Assert.Equal(5, error.Step);
        Assert.Equal(3, error.Consecutive);
        Assert.Contains("3 consecutive steps", error.Message);
        Assert.Contains("max-nonfinite-steps", error.Message);
    }
}
