using System.Diagnostics;
using System.Globalization;
using System.Net;
using ActorTrain.Actors.Settings;
using SyncStrategy = ActorTrain.Actors.Sync.SyncStrategy;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Data;
using ActorTrain.Model.Nn;
using static TorchSharp.torch;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// One rank of <c>actortrain bench ddp</c>, doing what bench/peers/pytorch_ddp_baseline.py's ranks do with the real
/// training engine (<see cref="DdpStepRunner"/>, the step <see cref="DdpTrainer"/> runs): gpt-bench initialised from
/// seed 123 and broadcast from rank 0, synthetic random byte tokens seeded 1000 + rank, mean cross entropy over the
/// global tokens, backward into the flat gradient buffer with each bucket's all-reduce started as soon as the bucket is
/// complete (in bucket order, like DDP's reducer), global-norm clipping to 1.0 and AdamW (lr 3e-4, weight decay 0.1;
/// the engine, like nanoGPT, does not decay biases and LayerNorm weights). Rank 0 reports tokens/s over the steps
/// after 3 warm-ups.
/// Line protocol on stdin/stdout as <see cref="ActorTrain.Actors.Sync.Benchmark.AllReduceBenchmark"/>:
/// <c>ENDPOINT ring ps</c> out, <c>ENDPOINTS p0,p1,… PS q0,…|-</c> in, <c>RESULT …</c> out (rank 0; its last field is the
/// rank's mean wait for the gradient sync per step, the time sync adds to a step).
/// </summary>
public static class DdpBenchWorker
{
    private const int Warmup = 3;

    /// <summary>Runs one rank; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output)
    {
        string Arg(string name)
        {
            int at = args.ToList().IndexOf(name);
            return at >= 0 && at + 1 < args.Count ? args[at + 1] : throw new ArgumentException($"ddp worker: missing {name}");
        }
        int Int(string name) => int.Parse(Arg(name), CultureInfo.InvariantCulture);
        int rank = Int("--rank"), world = Int("--world"), batch = Int("--batch"), steps = Int("--steps"), threads = Int("--threads");
        var (strategy, applyOptimizer) = ParseStrategyLabel(Arg("--strategy"));
        var options = new GradientSyncOptions { Transport = GradientSyncFactory.ParseTransport(Arg("--transport")) };
        long bucketCap = long.Parse(Arg("--bucket-cap"), CultureInfo.InvariantCulture);
        var sharding = ParseSharding(Arg("--shard-optimizer"));
        var config = GptConfig.FromPreset(Arg("--preset"));
        set_num_threads(threads);

        string machine = PeerEndpoint.LocalMachineId();
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var ringListener = SyncListener.Bind(loopback, options);
        bool hostsShard = strategy == SyncStrategy.ParameterServer;
        string runDir = Path.Combine(Path.GetTempPath(), $"actortrain-bench-ddp-{Environment.ProcessId}");
        var settings = BenchSettings(config, runDir, batch, steps + Warmup, bucketCap, threads, sharding, applyOptimizer);
        var shardOptimizer = applyOptimizer ? OptimizerFactory.ForParameterServerShards(settings) : null;
        ParameterServerShard? shard = hostsShard ? ParameterServerShard.Start(SyncListener.Bind(loopback, options), rank, world, world, options, shardOptimizer) : null;
        try
        {
            await output.WriteLineAsync($"ENDPOINT {ringListener.LocalEndpoint.Port} {shard?.LocalEndpoint.Port ?? 0}");
            await output.FlushAsync();
            string line = await input.ReadLineAsync() ?? throw new EndOfStreamException("coordinator closed stdin");
            var parts = line.Split(' ');
            var ranks = parts[1].Split(',').Select((p, r) => new PeerEndpoint(r, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            var servers = parts[3] == "-" ? [] : parts[3].Split(',').Select((p, k) => new PeerEndpoint(k, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            byte[] token = DataLinkToken.FromHex(parts[5]);
            shard?.SetDataLinkToken(token);
            await using var sync = await GradientSyncFactory.CreateAsync(strategy, new SyncRendezvous(rank, ranks, servers) { Listener = ringListener, DataLinkToken = token }, options);
            string transport = sync switch
            {
                RingAllReduceSync ring => ring.TransportToNext,
                ParameterServerSync ps => string.Join("+", ps.TransportToShards.Distinct()),
                _ => "?",
            };
            var (tokensPerSecond, stepMs, loss, buckets, syncWaitMs) = await TrainAsync(sync, settings, config, rank, world, batch, steps);
            if (rank == 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT {tokensPerSecond:R} {stepMs:R} {loss:R} {buckets} {transport} {syncWaitMs:R}"));
                await output.FlushAsync();
            }
            await sync.BarrierAsync();
            return 0;
        }
        finally
        {
            if (shard is not null) await shard.DisposeAsync();
        }
    }

    private static async Task<(double TokensPerSecond, double StepMs, double Loss, int Buckets, double SyncWaitMs)> TrainAsync(
        IGradientSync sync, ActorTrainSettings settings, GptConfig config, int rank, int world, int batch, int steps)
    {
        string runDir = settings.Job.RunDir;
        var options = new TrainingRunOptions(settings, "# actortrain bench ddp\n", NullLoggerFactory.Instance);
        // Synthetic byte tokens, seeded 1000 + rank: each row is context + 1 tokens (inputs = row[..^1], targets = row[1..]).
        var random = new Random(1000 + rank);
        var data = new TrainingSequence[steps + Warmup][];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = new TrainingSequence[batch];
            for (int b = 0; b < batch; b++)
            {
                var row = new long[config.ContextLength + 1];
                for (int t = 0; t < row.Length; t++) row[t] = random.Next(config.VocabSize);
                data[i][b] = new TrainingSequence(row, row);
            }
        }
        try
        {
            // The engine computes on its caller's thread (libtorch grad mode and tensor scopes are per thread).
            return await Task.Factory.StartNew(() => Train(sync, options, data, rank, world, batch, steps, config.ContextLength),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            try { Directory.Delete(runDir, recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }

    private static (double TokensPerSecond, double StepMs, double Loss, int Buckets, double SyncWaitMs) Train(
        IGradientSync sync, TrainingRunOptions options, TrainingSequence[][] data, int rank, int world, int batch, int steps, int context)
    {
        using var engine = new DdpStepRunner(options, sync);
        var clock = new Stopwatch();
        double lastLoss = 0;
        // ACTORTRAIN_BENCH_TRACE=1: per-rank phase times on stderr (compute, waiting for the gradient sync, optimizer).
        bool trace = Environment.GetEnvironmentVariable("ACTORTRAIN_BENCH_TRACE") == "1";
        TimeSpan compute = default, syncWait = default, optimizer = default;
        int gen0 = 0, gen2 = 0;
        for (int i = 0; i < data.Length; i++)
        {
            if (i == Warmup)
            {
                sync.BarrierAsync().GetAwaiter().GetResult();
                gen0 = GC.CollectionCount(0);
                gen2 = GC.CollectionCount(2);
                clock.Start();
            }
            var step = engine.RunStep(data[i]);
            lastLoss = step.Loss ?? double.NaN;
            if (i >= Warmup)
            {
                compute += step.Compute;
                syncWait += step.SyncWait;
                optimizer += step.Optimizer;
            }
        }
        sync.BarrierAsync().GetAwaiter().GetResult();
        clock.Stop();
        if (trace)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rank {rank}: per step compute {compute.TotalMilliseconds / steps:0.0} ms, sync wait {syncWait.TotalMilliseconds / steps:0.0} ms, " +
                $"average+clip+AdamW {optimizer.TotalMilliseconds / steps:0.0} ms, wall {clock.Elapsed.TotalMilliseconds / steps:0.0} ms; " +
                $"GCs gen0 {GC.CollectionCount(0) - gen0} gen2 {GC.CollectionCount(2) - gen2}, server GC {System.Runtime.GCSettings.IsServerGC}"));
        double seconds = clock.Elapsed.TotalSeconds;
        return ((double)steps * batch * context * world / seconds, 1000 * seconds / steps, lastLoss, engine.BucketCount, syncWait.TotalMilliseconds / steps);
    }

    /// <summary>The benchmark's label for the parameter-server strategy with the shards applying the optimizer.</summary>
    internal const string ShardsApplyOptimizerLabel = "parameter-server-optimizer";

    /// <summary>A strategy name, or <see cref="ShardsApplyOptimizerLabel"/> (parameter server, ps.apply-optimizer = on).</summary>
    internal static (SyncStrategy Strategy, bool ApplyOptimizer) ParseStrategyLabel(string text) =>
        string.Equals(text.Trim(), ShardsApplyOptimizerLabel, StringComparison.OrdinalIgnoreCase)
            ? (SyncStrategy.ParameterServer, true)
            : (GradientSyncFactory.ParseStrategy(text), false);

    /// <summary>Parses --shard-optimizer (auto, on, off), naming the accepted values when it is none of them.</summary>
    internal static OptimizerSharding ParseSharding(string text) =>
        ActorTrain.Cluster.Settings.SettingsEnum.TryParse<OptimizerSharding>(text, out var value)
            ? value
            : throw new ArgumentException($"--shard-optimizer must be one of {string.Join(", ", ActorTrain.Cluster.Settings.SettingsEnum.Names<OptimizerSharding>())}, not '{text}'");

    /// <summary>The engine's settings for pytorch_ddp_baseline.py's run: gpt-bench on the CPU, no dropout, B sequences
    /// per rank and step, constant lr 3e-4 (no warm-up or decay), AdamW (PyTorch's defaults, weight decay 0.1),
    /// clip 1.0, no evaluation or checkpoints. The configured data (a small arithmetic corpus) is loaded but unused:
    /// each step's sequences come from the caller.</summary>
    internal static ActorTrainSettings BenchSettings(GptConfig config, string runDir, int batch, int totalSteps, long bucketCap, int threads,
        OptimizerSharding sharding = OptimizerSharding.Auto, bool applyOptimizer = false)
    {
        var d = ActorTrainSettings.Default;
        return d with
        {
            Job = d.Job with
            {
                RunDir = runDir,
                Sync = d.Job.Sync with { BucketCap = bucketCap, ShardOptimizer = sharding, Ps = d.Job.Sync.Ps with { ApplyOptimizer = applyOptimizer } },
            },
            Model = d.Model with
            {
                Preset = ModelPreset.Custom, VocabSize = config.VocabSize, Context = config.ContextLength, Width = config.Width, Layers = config.Layers,
                Heads = config.Heads, MlpRatio = config.MlpRatio, Dropout = 0, DType = ModelDType.Float32, Device = ComputeDevice.Cpu,
            },
            Data = d.Data with { Source = DataSource.Arithmetic, MaxOperand = 99, TrainSize = 64, ValSize = 8, Seed = 7 },
            Train = d.Train with
            {
                Steps = totalSteps, MicroBatchSize = batch, GradAccumSteps = 1, Optimizer = OptimizerKind.AdamW,
                Lr = 3e-4, InitialLr = 3e-4, MinLr = 3e-4, WarmupSteps = 0, WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8,
                GradClip = 1.0, Seed = 123, LogEvery = int.MaxValue, EvalEvery = 0, SaveEvery = 0, KeepCheckpoints = 0, Resume = "none",
                Threads = threads, MaxNonfiniteSteps = 3,
            },
        };
    }
}
