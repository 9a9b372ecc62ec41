using ActorTrain.Model.Optim;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Optim;

public class LearningRateScheduleTests
{
    private static readonly Arbitrary<LearningRateSchedule> Schedules = Arb.From(
        from peak in Gen.Choose(1, 1000).Select(i => i * 1e-5)
        from minShare in Gen.Choose(0, 100).Select(i => i / 100.0)
        from initialShare in Gen.Choose(0, 100).Select(i => i / 100.0)
        from warmup in Gen.Choose(0, 200)
        from decay in Gen.Choose(0, 1000)
        select new LearningRateSchedule(peak * initialShare, peak, peak * minShare, warmup, warmup + decay).Validate());

    [Fact]
    public void Warmup_is_monotone_non_decreasing_and_decay_is_non_increasing()
    {
        Prop.ForAll(Schedules, s =>
        {
            for (var t = 1; t < s.WarmupSteps; t++)
            {
                if (s.At(t) < s.At(t - 1))
                {
                    return false;
                }
            }
            for (var t = s.WarmupSteps + 1; t <= s.TotalSteps + 5; t++)
            {
                if (s.At(t) > s.At(t - 1))
                {
                    return false;
                }
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Learning_rates_stay_between_the_smallest_and_largest_setting()
    {
        Prop.ForAll(Schedules, Arb.From(Gen.Choose(0, 2000)), (s, step) =>
        {
            var lr = s.At(step);
            var low = Math.Min(s.InitialLr, s.MinLr);
            return lr >= low - 1e-18 && lr <= s.PeakLr + 1e-18;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Endpoints_are_exact()
    {
        Prop.ForAll(Schedules, s =>
        {
            var startOk = s.WarmupSteps == 0 || s.At(0) == s.InitialLr;
            var peakOk = s.TotalSteps == s.WarmupSteps || s.At(s.WarmupSteps) == s.PeakLr;
            var endOk = s.At(s.TotalSteps) == s.MinLr && s.At(s.TotalSteps + 1000) == s.MinLr;
            return startOk && peakOk && endOk;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Cosine_is_halfway_between_peak_and_min_at_the_middle_of_the_decay()
    {
        var s = new LearningRateSchedule(0, 1e-3, 1e-4, 10, 110);
        Assert.Equal(5e-4, s.At(5), 15);
        Assert.Equal((1e-3 + 1e-4) / 2, s.At(60), 15);
    }

    [Fact]
    public void Invalid_settings_are_rejected_naming_the_setting()
    {
        Assert.Contains("min-lr", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(0, 1e-3, 1e-2, 0, 10).Validate()).Message);
        Assert.Contains("warmup", Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(0, 1e-3, 0, 20, 10).Validate()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(double.NaN, 1e-3, 0, 0, 10).Validate());
    }
}
