using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Data;
using Xunit;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>The engine one step at a time (what <c>actortrain bench ddp</c> drives) with caller-chosen sequences.</summary>
public sealed class DdpStepRunnerTests
{
    private static TrainingSequence[] Sequences(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var row = Enumerable.Range(0, 17).Select(_ => (long)random.Next(64)).ToArray();
            return new TrainingSequence(row, row);
        }).ToArray();
    }

    [Fact]
    public async Task Ranks_step_in_lockstep_on_their_own_sequences_and_agree_on_the_global_loss()
    {
        using var dir = new TempRunDir();
        var options = TrainingTestSupport.Options(TrainingTestSupport.TinySettings(dir.Path, steps: 5, microBatch: 4, accumulation: 2));
        var syncOptions = new GradientSyncOptions { ConnectTimeout = TimeSpan.FromSeconds(20), CollectiveTimeout = TimeSpan.FromSeconds(60) };
        await using var group = await InProcessSyncGroup.CreateAsync(2, SyncStrategy.Ring, syncOptions);
        var runs = Enumerable.Range(0, 2).Select(rank => Task.Factory.StartNew(() =>
        {
            using var runner = new DdpStepRunner(options, group.Members[rank]);
            var results = new List<DdpStepResult>();
            for (var step = 0; step < 3; step++) results.Add(runner.RunStep(Sequences(8, 100 * rank + step)));
            Assert.Equal(3, runner.Step);
            Assert.True(runner.BucketCount >= 1);
            Assert.Throws<ArgumentException>(() => runner.RunStep(Sequences(3, 0)));
            return results;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var byRank = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(2));

        for (var step = 0; step < 3; step++)
        {
            var (a, b) = (byRank[0][step], byRank[1][step]);
            Assert.NotNull(a.Loss);
            Assert.Equal(a.Loss, b.Loss);
            Assert.Equal(a.GradNorm, b.GradNorm);
            Assert.Equal(2 * 8 * 16, a.GlobalTokens);
            Assert.True(a.Compute > TimeSpan.Zero);
        }
    }
}
