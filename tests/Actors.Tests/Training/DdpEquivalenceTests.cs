using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using Xunit;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>The point of DDP: N ranks × per-rank batch b × K accumulation steps train exactly like one process with
/// batch N·b and K steps (the arithmetic corpus has ragged sequence lengths, so per-micro-batch averaging would fail).</summary>
public sealed class DdpEquivalenceTests
{
    private const int PerRankBatch = 3, Accumulation = 2, Steps = 3;

    private static ActorTrainSettings Settings(string runDir, int microBatch, OptimizerKind optimizer)
    {
        var s = TrainingTestSupport.TinySettings(runDir, Steps, microBatch, Accumulation);
        return s with { Train = s.Train with { Optimizer = optimizer, Lr = optimizer == OptimizerKind.Sgd ? 0.5 : s.Train.Lr } };
    }

    private static float[] SingleProcessReference(string runDir, int world, OptimizerKind optimizer) =>
        TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(runDir, world * PerRankBatch, optimizer))).FinalParameters;

    [Theory]
    [InlineData(2, SyncStrategy.Ring, true, OptimizerKind.Sgd)]
    [InlineData(4, SyncStrategy.Ring, true, OptimizerKind.Sgd)]
    [InlineData(2, SyncStrategy.ParameterServer, true, OptimizerKind.Sgd)]
    [InlineData(4, SyncStrategy.ParameterServer, true, OptimizerKind.Sgd)]
    [InlineData(4, SyncStrategy.Ring, false, OptimizerKind.Sgd)]
    [InlineData(4, SyncStrategy.Ring, true, OptimizerKind.AdamW)]
    [InlineData(4, SyncStrategy.ParameterServer, true, OptimizerKind.AdamW)]
    public async Task N_ranks_with_accumulation_match_one_process_with_the_full_batch(int world, SyncStrategy strategy, bool overlap, OptimizerKind optimizer)
    {
        using var dir = new TempRunDir();
        var reference = SingleProcessReference(dir.Sub("single"), world, optimizer);
        var outcomes = await TrainingTestSupport.RunGroupAsync(world, strategy, rank =>
            TrainingTestSupport.Options(Settings(dir.Sub("ddp"), PerRankBatch, optimizer)) with { OverlapGradientSync = overlap });

        Assert.All(outcomes, o => Assert.Equal(Steps, o.Steps));
        // Replicas stay bitwise identical...
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].FinalChecksum, o.FinalChecksum));
        // ...and equal the single process within float32 reordering of the sums (relative 1e-5): element-wise for SGD;
        // as a whole for AdamW, whose m/√v turns rounding noise of near-zero gradients into O(lr·1e-3) moves of single elements.
        // Elements smaller than 1e-2 (the scale of the initialisation) are held to 1e-7 absolute instead: libtorch's kernels
        // sum a batch of N·b and N batches of b in different, CPU-dependent orders (AVX-512 machines differ from AVX2 ones),
        // and 1e-5 of a 1e-3 element is a few ulps of its neighbours' size. A wrong average or a lost micro-batch moves
        // elements by 1e-2 and more.
        var ddp = outcomes[0].FinalParameters;
        if (optimizer == OptimizerKind.Sgd)
        {
            var (worst, index) = TrainingTestSupport.MaxRelativeDifference(ddp, reference, floor: 1e-2);
            Assert.True(worst <= 1e-5, $"world {world} {strategy}: parameter {index} differs by {worst:E2} relative ({ddp[index]:R} vs {reference[index]:R})");
        }
        else
        {
            var relative = TrainingTestSupport.RelativeNormDifference(ddp, reference);
            Assert.True(relative <= 1e-5, $"world {world} {strategy}: ‖ddp − single‖/‖single‖ = {relative:E2}");
        }
        // Training moved the parameters (the comparison is not between two untouched initialisations).
        using var fresh = new TempRunDir();
        var untrained = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(TrainingTestSupport.TinySettings(fresh.Path, 1)) with { StopAfterStep = 0 });
        Assert.True(TrainingTestSupport.MaxRelativeDifference(untrained.FinalParameters, reference).Worst > 1e-2);
    }

    [Theory]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Sgd)]
    public async Task Parameter_servers_applying_the_optimizer_train_like_ranks_applying_it(OptimizerKind optimizer)
    {
        using var dir = new TempRunDir();
        async Task<TrainingOutcome[]> Run(bool applyOnShards, CapturingLoggerFactory loggers)
        {
            var s = Settings(dir.Sub(applyOnShards ? "shards" : "ranks"), PerRankBatch, optimizer);
            s = s with { Job = s.Job with { Sync = s.Job.Sync with { Ps = s.Job.Sync.Ps with { ApplyOptimizer = applyOnShards } } } };
            return await TrainingTestSupport.RunGroupAsync(4, SyncStrategy.ParameterServer, _ => TrainingTestSupport.Options(s, loggers));
        }
        var shardLogs = new CapturingLoggerFactory();
        var onShards = await Run(true, shardLogs);
        var onRanks = await Run(false, new CapturingLoggerFactory());

        Assert.Equal(4, shardLogs.Lines.Count(l => l.Contains("optimizer on the 2 parameter-server shard(s)", StringComparison.Ordinal)));
        Assert.All(onShards, o => Assert.Equal(onShards[0].FinalChecksum, o.FinalChecksum));
        // The shards sum in rank order and scale and step element-wise exactly as the ranks do; only the float64 Σg²
        // (clipping) is added up in another grouping, which can move the clip factor by one float32 ulp.
        var relative = TrainingTestSupport.RelativeNormDifference(onShards[0].FinalParameters, onRanks[0].FinalParameters);
        Assert.True(relative <= 1e-6, $"‖shards − ranks‖/‖ranks‖ = {relative:E2}");
        Assert.True(TrainingTestSupport.MaxRelativeDifference(onShards[0].FinalParameters, onRanks[0].FinalParameters).Worst < 1e-3);
    }

    [Theory]
    [InlineData(SyncStrategy.Ring, OptimizerKind.AdamW)]
    [InlineData(SyncStrategy.Ring, OptimizerKind.Sgd)]
    [InlineData(SyncStrategy.ParameterServer, OptimizerKind.AdamW)]
    public async Task Sharding_the_optimizer_changes_no_bit_of_the_result(SyncStrategy strategy, OptimizerKind optimizer)
    {
        using var dir = new TempRunDir();
        async Task<TrainingOutcome[]> Run(OptimizerSharding sharding, CapturingLoggerFactory loggers)
        {
            var s = Settings(dir.Sub(sharding.ToString()), PerRankBatch, optimizer);
            s = s with { Job = s.Job with { Sync = s.Job.Sync with { ShardOptimizer = sharding } } };
            return await TrainingTestSupport.RunGroupAsync(4, strategy, _ => TrainingTestSupport.Options(s, loggers));
        }
        var shardedLogs = new CapturingLoggerFactory();
        var sharded = await Run(OptimizerSharding.On, shardedLogs);
        var whole = await Run(OptimizerSharding.Off, new CapturingLoggerFactory());

        // Each rank stepped only its shard (several buckets: 16 KiB cap), yet every replica equals the unsharded run's.
        var logged = shardedLogs.Lines.Where(l => l.Contains("optimizer sharded", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, logged.Length);
        Assert.All(sharded, o => Assert.Equal(whole[0].FinalParameters, o.FinalParameters));
        Assert.Equal(whole[0].FinalLoss, sharded[0].FinalLoss);
    }

    [Fact]
    public async Task Ring_ranks_on_one_machine_shard_the_optimizer_by_default_and_tcp_ones_do_not()
    {
        using var dir = new TempRunDir();
        var auto = new CapturingLoggerFactory();
        await TrainingTestSupport.RunGroupAsync(2, SyncStrategy.Ring, _ => TrainingTestSupport.Options(TrainingTestSupport.TinySettings(dir.Sub("auto"), 1), auto));
        Assert.Equal(2, auto.Lines.Count(l => l.Contains("optimizer sharded", StringComparison.Ordinal)));
        var tcp = new CapturingLoggerFactory();
        await TrainingTestSupport.RunGroupAsync(2, SyncStrategy.Ring, _ => TrainingTestSupport.Options(TrainingTestSupport.TinySettings(dir.Sub("tcp"), 1), tcp),
            transport: ActorTrain.Actors.Sync.Transport.TransportKind.Tcp);
        Assert.Equal(2, tcp.Lines.Count(l => l.Contains("optimizer on every rank", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_rank_starts_from_rank_0s_parameters_and_logs_the_same_checksum()
    {
        using var dir = new TempRunDir();
        var loggers = new CapturingLoggerFactory();
        // Each rank would initialise differently (different seeds); the broadcast before step 0 must make them equal.
        var outcomes = await TrainingTestSupport.RunGroupAsync(3, SyncStrategy.Ring, rank =>
        {
            var s = TrainingTestSupport.TinySettings(dir.Path, 1);
            return TrainingTestSupport.Options(s with { Train = s.Train with { Seed = 100 + rank } }, loggers) with { StopAfterStep = 0 };
        });
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].FinalChecksum, o.FinalChecksum));
        var lines = loggers.Lines.Where(l => l.Contains("parameter checksum", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, lines.Length);
        var expected = ParameterChecksum.Format(outcomes[0].FinalChecksum);
        Assert.All(lines, l => Assert.Contains(expected, l));
        for (var r = 0; r < 3; r++) Assert.Contains(lines, l => l.StartsWith($"rank {r} ", StringComparison.Ordinal));
    }
}
