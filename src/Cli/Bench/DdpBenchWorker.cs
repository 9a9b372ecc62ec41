using System.Diagnostics;
using System.Globalization;
using System.Net;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// One rank of <c>actortrain bench ddp</c>, doing what ../shared/bench/pytorch_ddp_baseline.py's ranks do: gpt-bench
/// initialised from seed 123 (and broadcast from rank 0), synthetic random tokens seeded 1000 + rank, mean cross
/// entropy, backward into the flat gradient buffer with each gradient bucket's all-reduce started from the
/// gradient-ready hooks as soon as the bucket is complete (in bucket order, like DDP's reducer), averaging, global-norm
/// clipping to 1.0 and AdamW (lr 3e-4, weight decay 0.1). Rank 0 reports tokens/s over the steps after 3 warm-ups.
/// Line protocol on stdin/stdout as <see cref="ActorTrain.Actors.Sync.Benchmark.AllReduceBenchmark"/>:
/// <c>ENDPOINT ring ps</c> out, <c>ENDPOINTS p0,p1,… PS q0,…|-</c> in, <c>RESULT …</c> out (rank 0).
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
        var strategy = GradientSyncFactory.ParseStrategy(Arg("--strategy"));
        var options = new GradientSyncOptions { Transport = GradientSyncFactory.ParseTransport(Arg("--transport")) };
        long bucketCap = long.Parse(Arg("--bucket-cap"), CultureInfo.InvariantCulture);
        var config = GptConfig.FromPreset(Arg("--preset"));
        Torch.NumThreads = threads;

        string machine = PeerEndpoint.LocalMachineId();
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var ringListener = SyncListener.Bind(loopback, options);
        bool hostsShard = strategy == SyncStrategy.ParameterServer;
        ParameterServerShard? shard = hostsShard ? ParameterServerShard.Start(SyncListener.Bind(loopback, options), rank, world, world, options) : null;
        try
        {
            await output.WriteLineAsync($"ENDPOINT {ringListener.LocalEndpoint.Port} {shard?.LocalEndpoint.Port ?? 0}");
            await output.FlushAsync();
            string line = await input.ReadLineAsync() ?? throw new EndOfStreamException("coordinator closed stdin");
            var parts = line.Split(' ');
            var ranks = parts[1].Split(',').Select((p, r) => new PeerEndpoint(r, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            var servers = parts[3] == "-" ? [] : parts[3].Split(',').Select((p, k) => new PeerEndpoint(k, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            await using var sync = await GradientSyncFactory.CreateAsync(strategy, new SyncRendezvous(rank, ranks, servers) { Listener = ringListener }, options);
            string transport = sync switch
            {
                RingAllReduceSync ring => ring.TransportToNext,
                ParameterServerSync ps => string.Join("+", ps.TransportToShards.Distinct()),
                _ => "?",
            };
            var (tokensPerSecond, stepMs, loss, buckets) = await TrainAsync(sync, config, rank, world, batch, steps, bucketCap);
            if (rank == 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT {tokensPerSecond:R} {stepMs:R} {loss:R} {buckets} {transport}"));
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

    private static async Task<(double TokensPerSecond, double StepMs, double Loss, int Buckets)> TrainAsync(
        IGradientSync sync, GptConfig config, int rank, int world, int batch, int steps, long bucketCap)
    {
        using var gen = new Generator(123);
        using var model = new Gpt(config, gen);
        using var flat = new FlatParameters(model);
        await sync.BroadcastAsync(flat.Parameters, root: 0);
        var optimizer = new AdamW(checked((int)flat.Length), new AdamWOptions(WeightDecay: 0.1));
        var plan = new GradientBucketPlan([.. flat.Entries.Select(e => e.Length)], bucketCap);
        using var dataGen = new Generator((ulong)(1000 + rank));
        using var data = Tensor.RandInt(0, config.VocabSize, [steps + Warmup, batch, config.ContextLength + 1], dataGen).DetachFromScope();

        var reducer = new BucketReducer(sync, plan, flat.Gradients);
        using var hooks = new GradientReadyHooks(flat.ParametersInFlatOrder, reducer.OnGradientReady);
        float inverseWorld = 1f / world;
        var clock = new Stopwatch();
        double lastLoss = 0;
        // ACTORTRAIN_BENCH_TRACE=1: per-rank phase times on stderr (compute, waiting for the all-reduce, optimizer).
        bool trace = Environment.GetEnvironmentVariable("ACTORTRAIN_BENCH_TRACE") == "1";
        double computeMs = 0, syncWaitMs = 0, optimizerMs = 0;
        for (int i = 0; i < steps + Warmup; i++)
        {
            if (i == Warmup)
            {
                await sync.BarrierAsync();
                clock.Start();
            }
            long t0 = Stopwatch.GetTimestamp();
            flat.ZeroGradients();
            reducer.BeginStep();
            using (TensorScope.Enter())
            {
                var sample = data.Select(0, i);
                var result = CrossEntropy.Compute(model.Forward(sample.Narrow(1, 0, config.ContextLength)), sample.Narrow(1, 1, config.ContextLength), Reduction.Sum);
                var loss = result.Loss / result.Count;
                loss.Backward();
                if (i == steps + Warmup - 1) lastLoss = loss.Item();
            }
            hooks.ThrowIfFailed();
            long t1 = Stopwatch.GetTimestamp();
            await reducer.FinishStepAsync();
            long t2 = Stopwatch.GetTimestamp();
            var gradients = flat.GradientSpan;
            TensorPrimitives.Multiply(gradients, inverseWorld, gradients);
            GradientClipper.ClipGlobalNorm(gradients, 1f);
            optimizer.Step(flat.ParameterSpan, gradients, 3e-4);
            if (i >= Warmup)
            {
                computeMs += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                syncWaitMs += Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
                optimizerMs += Stopwatch.GetElapsedTime(t2).TotalMilliseconds;
            }
        }
        if (trace)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rank {rank}: per step compute {computeMs / steps:0.0} ms, all-reduce wait {syncWaitMs / steps:0.0} ms, clip+AdamW {optimizerMs / steps:0.0} ms"));
        await sync.BarrierAsync();
        clock.Stop();
        double seconds = clock.Elapsed.TotalSeconds;
        return ((double)steps * batch * config.ContextLength * world / seconds, 1000 * seconds / steps, lastLoss, plan.Buckets.Count);
    }
}
