using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Checkpoints;
using Xunit;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>Checkpoints: a resumed run ends bitwise equal to an uninterrupted one; only rank 0 writes.</summary>
public sealed class ResumeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_run_interrupted_at_step_3_and_resumed_ends_bitwise_equal_to_an_uninterrupted_run(int world)
    {
        using var dir = new TempRunDir();
        ActorTrain.Actors.Settings.ActorTrainSettings Settings(string runDir, string resume)
        {
            var s = TrainingTestSupport.TinySettings(runDir, steps: 6, microBatch: 4, accumulation: 2);
            return s with { Train = s.Train with { SaveEvery = 3, EvalEvery = 2, Resume = resume } };
        }
        Task<TrainingOutcome[]> Run(string runDir, string resume, long? stopAfter) => world == 1
            ? Task.FromResult(new[] { TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(runDir, resume)) with { StopAfterStep = stopAfter }) })
            : TrainingTestSupport.RunGroupAsync(world, SyncStrategy.Ring, _ => TrainingTestSupport.Options(Settings(runDir, resume)) with { StopAfterStep = stopAfter });

        var uninterrupted = (await Run(dir.Sub("full"), "none", null))[0];
        var first = (await Run(dir.Sub("resumed"), "none", 3))[0];
        Assert.True(first.Stopped);
        Assert.Equal(3, first.Steps);
        Assert.EndsWith(CheckpointStore.DirectoryName(3), first.LastCheckpoint);
        var resumed = await Run(dir.Sub("resumed"), "latest", null);

        Assert.Equal(6, resumed[0].Steps);
        Assert.All(resumed, r => Assert.Equal(uninterrupted.FinalParameters, r.FinalParameters)); // bitwise (float equality per element)
        Assert.Equal(uninterrupted.FinalChecksum, resumed[0].FinalChecksum);
        Assert.Equal(uninterrupted.FinalLoss, resumed[0].FinalLoss);

        // metrics.jsonl of the resumed run: the first run's lines up to step 3, then the rest — the same step/eval lines.
        static string[] Lines(string runDir) => MetricsJsonlWriter.ReadAll(Path.Combine(runDir, "metrics.jsonl"))
            .Where(e => e.Kind is "step" or "eval").Select(e => $"{e.Kind} {e.Step} {e.Loss:R} {e.GradNorm:R} {e.ValidationLoss:R} {e.ExactMatch:R}").ToArray();
        Assert.Equal(Lines(dir.Sub("full")), Lines(dir.Sub("resumed")));
        Assert.True(File.Exists(Path.Combine(dir.Sub("resumed"), "loss.png")));
        // The event file of the resumed run is one file holding what metrics.jsonl holds (the kept steps replayed).
        Assert.Equal(Reporting.EventFileExpectations.FromMetrics(dir.Sub("resumed")), Reporting.EventFileExpectations.FromEventFile(dir.Sub("resumed")));
    }

    [Theory]
    [InlineData(OptimizerSharding.On, OptimizerSharding.Off)]
    [InlineData(OptimizerSharding.Off, OptimizerSharding.On)]
    public async Task A_checkpoint_resumes_bitwise_whether_or_not_either_run_shards_the_optimizer(OptimizerSharding before, OptimizerSharding after)
    {
        using var dir = new TempRunDir();
        ActorTrain.Actors.Settings.ActorTrainSettings Settings(string runDir, string resume, OptimizerSharding sharding)
        {
            var s = TrainingTestSupport.TinySettings(runDir, steps: 6, microBatch: 4);
            return s with { Job = s.Job with { Sync = s.Job.Sync with { ShardOptimizer = sharding } }, Train = s.Train with { Resume = resume } };
        }
        Task<TrainingOutcome[]> Run(string runDir, string resume, OptimizerSharding sharding, long? stopAfter) =>
            TrainingTestSupport.RunGroupAsync(3, SyncStrategy.Ring, _ => TrainingTestSupport.Options(Settings(runDir, resume, sharding)) with { StopAfterStep = stopAfter });

        var uninterrupted = (await Run(dir.Sub("full"), "none", after, null))[0];
        await Run(dir.Sub("resumed"), "none", before, 3); // the checkpoint holds the whole optimizer state either way
        var resumed = await Run(dir.Sub("resumed"), "latest", after, null);
        Assert.All(resumed, r => Assert.Equal(uninterrupted.FinalParameters, r.FinalParameters));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_checkpoint_resumes_bitwise_whether_the_parameter_servers_or_the_ranks_applied_the_optimizer(bool before, bool after)
    {
        using var dir = new TempRunDir();
        ActorTrain.Actors.Settings.ActorTrainSettings Settings(string runDir, string resume, bool applyOnShards)
        {
            var s = TrainingTestSupport.TinySettings(runDir, steps: 6, microBatch: 4);
            return s with
            {
                Job = s.Job with { Sync = s.Job.Sync with { Ps = s.Job.Sync.Ps with { ApplyOptimizer = applyOnShards } } },
                Train = s.Train with { Resume = resume, GradClip = 0 }, // no clipping: the Σg² grouping is then irrelevant
            };
        }
        Task<TrainingOutcome[]> Run(string runDir, string resume, bool applyOnShards, long? stopAfter) =>
            TrainingTestSupport.RunGroupAsync(3, SyncStrategy.ParameterServer,
                _ => TrainingTestSupport.Options(Settings(runDir, resume, applyOnShards)) with { StopAfterStep = stopAfter });

        var uninterrupted = (await Run(dir.Sub("full"), "none", after, null))[0];
        await Run(dir.Sub("resumed"), "none", before, 3); // the checkpoint holds the whole optimizer state either way
        var resumed = await Run(dir.Sub("resumed"), "latest", after, null);
        Assert.All(resumed, r => Assert.Equal(uninterrupted.FinalParameters, r.FinalParameters));
    }

    [Fact]
    public async Task Only_rank_0_writes_and_its_checkpoint_loads_back_into_the_final_parameters()
    {
        using var dir = new TempRunDir();
        var events = new EventRecorder[3];
        var outcomes = await TrainingTestSupport.RunGroupAsync(3, SyncStrategy.Ring, rank =>
        {
            // Distinct run directories per rank would reveal a write by any rank other than 0.
            var s = TrainingTestSupport.TinySettings(dir.Sub($"rank{rank}"), steps: 2);
            return TrainingTestSupport.Options(s with { Train = s.Train with { SaveEvery = 1 } });
        }, rank => events[rank] = new EventRecorder());

        Assert.True(Directory.Exists(dir.Sub("rank0")));
        Assert.False(Directory.Exists(dir.Sub("rank1")));
        Assert.False(Directory.Exists(dir.Sub("rank2")));
        Assert.Empty(events[1].Events);
        Assert.Empty(events[2].Events);
        Assert.Contains(events[0].Events, e => e.Kind == "checkpoint" && e.Step == 2);

        var store = new CheckpointStore(dir.Sub("rank0"));
        Assert.Equal(new long[] { 1, 2 }, store.CompleteSteps());
        var checkpoint = store.OpenLatest()!;
        Assert.Equal(2, checkpoint.State.Step);
        Assert.Equal(3, checkpoint.State.WorldSize);
        Assert.Equal("# test config\n", checkpoint.State.ConfigText);
        Assert.True(checkpoint.HasOptimizerState);

        // Load through the engine's own layout: a 1-step run resuming from it (stopped before stepping) holds the weights.
        var s = TrainingTestSupport.TinySettings(dir.Sub("check"), steps: 2);
        var reloaded = await TrainingTestSupport.RunGroupAsync(3, SyncStrategy.Ring, _ =>
            TrainingTestSupport.Options(s with { Train = s.Train with { Resume = checkpoint.Directory } }));
        Assert.All(reloaded, r => Assert.Equal(outcomes[0].FinalParameters, r.FinalParameters));
    }

    [Fact]
    public async Task Resuming_with_a_different_world_size_is_refused_with_a_message()
    {
        using var dir = new TempRunDir();
        var s = TrainingTestSupport.TinySettings(dir.Path, steps: 2);
        await TrainingTestSupport.RunGroupAsync(2, SyncStrategy.Ring, _ => TrainingTestSupport.Options(s) with { StopAfterStep = 1 });
        var error = Assert.Throws<InvalidOperationException>(() =>
            TrainingTestSupport.RunSingle(TrainingTestSupport.Options(s with { Train = s.Train with { Resume = "latest" } })));
        Assert.Contains("2 rank(s)", error.Message);
    }
}
