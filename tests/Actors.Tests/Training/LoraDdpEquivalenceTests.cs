using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Nn;
using Xunit;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;
using static TorchSharp.torch;

namespace ActorTrain.Actors.Tests.Training;

/// <summary>DDP over LoRA adapters: only the adapters travel and train, and N ranks × K accumulation still train exactly
/// like one process with the full batch (the harness of <see cref="DdpEquivalenceTests"/>).</summary>
public sealed class LoraDdpEquivalenceTests
{
    private const int PerRankBatch = 3, Accumulation = 2, Steps = 3;

    private static ActorTrainSettings Settings(string runDir, int microBatch, OptimizerKind optimizer, string basePath)
    {
        var s = TrainingTestSupport.TinySettings(runDir, Steps, microBatch, Accumulation, layers: 2);
        return s with
        {
            Job = s.Job with { Kind = JobKind.Finetune },
            Finetune = s.Finetune with { Base = basePath, Method = FinetuneMethod.Lora, LoraRank = 4, LoraAlpha = 8 },
            Train = s.Train with { Optimizer = optimizer, Lr = optimizer == OptimizerKind.Sgd ? 0.5 : 1e-2 },
        };
    }

    /// <summary>A base model (another seed than the runs' own initialisation) written as safetensors.</summary>
    private static string WriteBase(TempRunDir dir, ActorTrainSettings settings)
    {
        var path = Path.Combine(Directory.CreateDirectory(dir.Sub("base")).FullName, "base.safetensors");
        using var gen = new Generator(4242);
        using var model = new Gpt(ModelFactory.ConfigFor(settings.Model), gen);
        var writer = new SafeTensorsWriter();
        foreach (var (name, p) in model.NamedParameters()) writer.AddFloat32(name, p.shape, p.detach().contiguous().data<float>().ToArray());
        writer.WriteFile(path);
        return path;
    }

    [Theory]
    [InlineData(4, SyncStrategy.Ring, OptimizerKind.Sgd)]
    [InlineData(2, SyncStrategy.ParameterServer, OptimizerKind.Sgd)]
    [InlineData(4, SyncStrategy.Ring, OptimizerKind.AdamW)]
    public async Task N_ranks_training_adapters_match_one_process_with_the_full_batch(int world, SyncStrategy strategy, OptimizerKind optimizer)
    {
        using var dir = new TempRunDir();
        var basePath = WriteBase(dir, TrainingTestSupport.TinySettings(dir.Path, layers: 2));
        var single = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(dir.Sub("single"), world * PerRankBatch, optimizer, basePath)));
        var outcomes = await TrainingTestSupport.RunGroupAsync(world, strategy, _ =>
            TrainingTestSupport.Options(Settings(dir.Sub("ddp"), PerRankBatch, optimizer, basePath)));

        // Only the adapters are in the flat buffer: 2 blocks × (qkv, proj, fc, out) × (A, B) with r = 4, width 32.
        const int width = 32, r = 4;
        var adapterElements = 2 * (r * width + 3 * width * r + r * width + width * r + r * width + 4 * width * r + r * 4 * width + width * r);
        Assert.Equal(adapterElements, single.FinalParameters.Length);
        Assert.All(outcomes, o => Assert.Equal(outcomes[0].FinalChecksum, o.FinalChecksum));
        var ddp = outcomes[0].FinalParameters;
        var relative = TrainingTestSupport.RelativeNormDifference(ddp, single.FinalParameters);
        Assert.True(relative <= 1e-5, $"world {world} {strategy} {optimizer}: ‖ddp − single‖/‖single‖ = {relative:E2}");
        if (optimizer == OptimizerKind.Sgd)
        {
            var (worst, index) = TrainingTestSupport.MaxRelativeDifference(ddp, single.FinalParameters, floor: 1e-2);
            Assert.True(worst <= 1e-5, $"world {world} {strategy}: adapter element {index} differs by {worst:E2} relative");
        }
        // The adapters moved (B started at zero).
        using var fresh = new TempRunDir();
        var untrained = TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(fresh.Path, PerRankBatch, optimizer, basePath)) with { StopAfterStep = 0 });
        Assert.True(TrainingTestSupport.MaxRelativeDifference(untrained.FinalParameters, single.FinalParameters).Worst > 1e-2);
    }

    [Fact]
    public async Task Sharding_the_optimizer_over_the_adapters_changes_no_bit_of_the_result()
    {
        using var dir = new TempRunDir();
        var basePath = WriteBase(dir, TrainingTestSupport.TinySettings(dir.Path, layers: 2));
        async Task<(TrainingOutcome[] Outcomes, CapturingLoggerFactory Logs)> Run(OptimizerSharding sharding)
        {
            var s = Settings(dir.Sub(sharding.ToString()), PerRankBatch, OptimizerKind.AdamW, basePath);
            s = s with { Job = s.Job with { Sync = s.Job.Sync with { ShardOptimizer = sharding, BucketCap = 4 * 1024 } } };
            var logs = new CapturingLoggerFactory();
            return (await TrainingTestSupport.RunGroupAsync(4, SyncStrategy.Ring, _ => TrainingTestSupport.Options(s, logs)), logs);
        }
        var (sharded, shardedLogs) = await Run(OptimizerSharding.On);
        var (whole, _) = await Run(OptimizerSharding.Off);

        // ZeRO-1 over the adapter-only flat buffer: each rank stepped its shard of every adapter bucket.
        Assert.Equal(4, shardedLogs.Lines.Count(l => l.Contains("optimizer sharded", StringComparison.Ordinal)));
        Assert.All(sharded, o => Assert.Equal(whole[0].FinalParameters, o.FinalParameters));
        Assert.Equal(whole[0].FinalLoss, sharded[0].FinalLoss);
    }

    [Fact]
    public async Task Parameter_servers_applying_the_optimizer_to_the_adapters_train_like_ranks_applying_it()
    {
        using var dir = new TempRunDir();
        var basePath = WriteBase(dir, TrainingTestSupport.TinySettings(dir.Path, layers: 2));
        async Task<TrainingOutcome[]> Run(bool applyOnShards, CapturingLoggerFactory logs)
        {
            var s = Settings(dir.Sub(applyOnShards ? "shards" : "ranks"), PerRankBatch, OptimizerKind.AdamW, basePath);
            s = s with { Job = s.Job with { Sync = s.Job.Sync with { Ps = s.Job.Sync.Ps with { ApplyOptimizer = applyOnShards } } } };
            return await TrainingTestSupport.RunGroupAsync(2, SyncStrategy.ParameterServer, _ => TrainingTestSupport.Options(s, logs));
        }
        var shardLogs = new CapturingLoggerFactory();
        var onShards = await Run(true, shardLogs);
        var onRanks = await Run(false, new CapturingLoggerFactory());

        Assert.Equal(2, shardLogs.Lines.Count(l => l.Contains("optimizer on the 2 parameter-server shard(s)", StringComparison.Ordinal)));
        Assert.All(onShards, o => Assert.Equal(onShards[0].FinalChecksum, o.FinalChecksum));
        // As for plain DDP: only the float64 Σg² of clipping is summed in another grouping (one float32 ulp of the clip factor).
        var relative = TrainingTestSupport.RelativeNormDifference(onShards[0].FinalParameters, onRanks[0].FinalParameters);
        Assert.True(relative <= 1e-6, $"‖shards − ranks‖/‖ranks‖ = {relative:E2}");
        // The adapters trained (B started at zero, so a run that never stepped would leave half the buffer at 0).
        Assert.True(onShards[0].FinalParameters.Count(v => v != 0) > onShards[0].FinalParameters.Length * 3 / 4);
    }

    [Fact]
    public void A_base_of_another_shape_fails_before_training_naming_the_file_and_tensor()
    {
        using var dir = new TempRunDir();
        var basePath = WriteBase(dir, TrainingTestSupport.TinySettings(dir.Path, layers: 2, width: 64));
        var e = Assert.ThrowsAny<Exception>(() => TrainingTestSupport.RunSingle(TrainingTestSupport.Options(Settings(dir.Sub("run"), 4, OptimizerKind.Sgd, basePath))));
        var message = e.ToString();
        Assert.Contains(basePath, message);
        Assert.Contains("tok.weight", message);
    }
}
