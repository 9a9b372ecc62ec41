using System.CommandLine;
using System.Diagnostics;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Training;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Data;
using ActorTrain.Model.Nn;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using static TorchSharp.torch;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench finetune</c>: the README's fine-tuning example, measured. Pretrains the small GPT on sums, writes
/// the instruction-form sums, then fine-tunes it in full, with LoRA and with LoRA on an NF4 base, each with
/// <c>world</c> ranks in this process (ring, buckets all-reduced as DDP does): gradient bytes handed to the all-reduce
/// per step and rank, step time, exact-match before and after. Beside it, bench/peers/pytorch_lora_ddp.py runs the
/// same model in full and with hand-written LoRA adapters under PyTorch DDP (gloo, <c>world</c> processes).
/// </summary>
public static class FinetuneBenchVerb
{
    private sealed record Result(string Method, long BytesPerStep, double StepMs, double? Before, double? After, long Trainable);

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var world = new Option<int>("--world") { Description = "Ranks (in this process, ring all-reduce).", DefaultValueFactory = _ => 4 };
        var baseSteps = new Option<int>("--base-steps") { Description = "Pretraining steps of the base (sums, batch 64).", DefaultValueFactory = _ => 1000 };
        var steps = new Option<int>("--steps") { Description = "Fine-tuning steps per method (global batch 64; the README example's 2000).", DefaultValueFactory = _ => 2000 };
        var rank = new Option<int>("--lora-rank") { Description = "LoRA rank r (α = 2r) on both sides.", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per rank, on both sides.", DefaultValueFactory = _ => 1 };
        var peerSteps = new Option<int>("--peer-steps") { Description = "Timed steps of the PyTorch peer (after 3 warm-ups).", DefaultValueFactory = _ => 20 };
        var runDir = new Option<string>("--run-dir") { Description = "Where the base, the data and the runs go.", DefaultValueFactory = _ => "runs/bench-finetune" };
        var methods = new Option<string>("--methods") { Description = "Fine-tuning methods to run, comma-separated: full, lora, lora+nf4.", DefaultValueFactory = _ => "full,lora,lora+nf4" };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip the PyTorch peer." };
        var command = new Command("finetune", "Fine-tuning: LoRA vs full (bytes synced, step time), NF4 base memory, exact-match — beside PyTorch DDP with LoRA.")
        {
            world, baseSteps, steps, rank, threads, peerSteps, runDir, methods, noPeer,
        };
        command.SetAction((parse, cancel) => GuardedAction.RunAsync(async () =>
        {
            int n = parse.GetValue(world), b = parse.GetValue(baseSteps), s = parse.GetValue(steps), r = parse.GetValue(rank), t = parse.GetValue(threads);
            int ps = parse.GetValue(peerSteps);
            if (n < 1 || b < 1 || s < 20 || r < 1 || t < 1 || ps < 1) throw new ArgumentException("--world, --base-steps, --lora-rank, --threads and --peer-steps must be at least 1, --steps at least 20");
            if (64 % n != 0) throw new ArgumentException($"--world {n} must divide the global batch of 64");
            string[] chosen = [.. parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            if (chosen.Length == 0 || chosen.Any(m => m is not ("full" or "lora" or "lora+nf4")))
                throw new ArgumentException($"--methods {parse.GetValue(methods)}: list full, lora and/or lora+nf4");
            bool withPeer = !parse.GetValue(noPeer);
            if (withPeer) PeerScripts.RequireTorch("pytorch_lora_ddp.py");
            string dir = Path.GetFullPath(parse.GetValue(runDir)!);

            var basePath = await PretrainAsync(dir, b, t, cancel);
            var data = Path.Combine(dir, "chat.jsonl");
            File.WriteAllLines(data, ArithmeticInstructions.Lines(7, 99, 4000));

            var results = new List<Result>();
            foreach (var method in chosen)
            {
                var result = await FinetuneAsync(dir, basePath, data, method, n, s, r, t, cancel);
                Console.WriteLine($"actortrain-finetune method={method} world={n} trainable={result.Trainable} bytes_per_step={result.BytesPerStep} " +
                                  $"step_ms={BenchFormat.F(result.StepMs, "0.0")} exact_match_before={BenchFormat.F(result.Before ?? double.NaN, "0.000")} " +
                                  $"exact_match_after={BenchFormat.F(result.After ?? double.NaN, "0.000")}");
                results.Add(result);
            }

            var (fp32, nf4, doubleQuant) = BaseMemory(basePath, r);
            Console.WriteLine($"actortrain-nf4 base_fp32_bytes={fp32} nf4_bytes={nf4} nf4_double_quant_bytes={doubleQuant} " +
                              "peer=none (bitsandbytes is not installed for /usr/bin/python3; no PyTorch 4-bit figure)");

            var peer = new Dictionary<string, PeerLine>();
            if (withPeer)
            {
                foreach (var method in chosen.Where(m => m is "full" or "lora"))
                {
                    var line = PeerScripts.Run("pytorch_lora_ddp.py", [$"{n}", $"{ps}", $"{t}", $"{64 / n}", method, $"{r}"], t, TimeSpan.FromMinutes(10))
                        .Select(PeerLine.Parse).Last(l => l.Label == "pytorch-lora-ddp");
                    peer[method] = line;
                    Console.WriteLine($"pytorch-lora-ddp method={method} world={n} trainable={line.Number("trainable"):0} bytes_per_step={line.Number("bytes_per_step"):0} " +
                                      $"step_ms={BenchFormat.F(line.Number("step_ms"), "0.0")} exact_match=n/a (the peer times random rows; it does not run the example)");
                }
            }

            var table = new Table().Title($"fine-tuning the small GPT (128×2, context 64), {n} ranks × {t} thread(s), global batch 64: ActorTrain vs PyTorch DDP (gloo)")
                .AddColumn("method");
            foreach (var c in new[] { "bytes/step", "PyTorch bytes/step", "ms/step", "PyTorch ms/step", "exact-match before → after" })
                table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var m in results)
            {
                var p = peer.GetValueOrDefault(m.Method == "full" ? "full" : m.Method == "lora" ? "lora" : "");
                table.AddRow(m.Method, $"{m.BytesPerStep:N0}", p is null ? "-" : $"{p.Number("bytes_per_step"):N0}", BenchFormat.F(m.StepMs, "0.0"),
                    p is null ? "-" : BenchFormat.F(p.Number("step_ms"), "0.0"), $"{m.Before:P1} → {m.After:P1}");
            }
            table.Caption($"frozen base (adapted Linears): {fp32:N0} B float32, {nf4:N0} B NF4 ({(double)nf4 / fp32:P1}), {doubleQuant:N0} B NF4 + double quantisation " +
                          $"({(double)doubleQuant / fp32:P1}); PyTorch: no 4-bit peer here. Bytes = gradient buckets handed to the all-reduce per step and rank.");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static ActorTrainSettings Settings(IEnumerable<string> sets) =>
        ActorTrainConfigLoader.Load(null, new Dictionary<string, string>(), [.. sets]).Settings;

    private static IEnumerable<string> Common(string runDir, int steps, int threads) =>
    [
        $"actortrain.job.run-dir={runDir}", "actortrain.model.context=64", "actortrain.model.device=cpu", $"actortrain.train.steps={steps}",
        $"actortrain.train.threads={threads}", "actortrain.train.eval-every=0", "actortrain.train.save-every=0", "actortrain.train.log-every=10",
    ];

    private static async Task<string> PretrainAsync(string dir, int steps, int threads, CancellationToken cancel)
    {
        var runDir = Path.Combine(dir, "base");
        var settings = Settings(Common(runDir, steps, threads));
        var outcome = await Task.Factory.StartNew(() => DdpTrainer.RunAsync(new TrainingRunOptions(settings, "# bench finetune base\n", NullLoggerFactory.Instance),
            new SingleRankSync(), new StepClock(), cancel), cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        Console.WriteLine($"actortrain-finetune-base steps={steps} exact_match_on_sums={BenchFormat.F(outcome.ExactMatch ?? double.NaN, "0.000")}");
        return new CheckpointStore(runDir).DirectoryOf(steps);
    }

    /// <summary>The fine-tuning settings of the README example for <paramref name="method"/>.</summary>
    internal static IEnumerable<string> ExampleSets(string method, int rank) => method switch
    {
        "full" => ["actortrain.finetune.method=full", "actortrain.train.lr=3e-3", "actortrain.train.min-lr=3e-4"],
        _ =>
        [
            "actortrain.finetune.method=lora", $"actortrain.finetune.lora.rank={rank}", $"actortrain.finetune.lora.alpha={2 * rank}",
            "actortrain.finetune.lora.targets=[qkv,proj,fc,out,head]", "actortrain.finetune.lora.modules-to-save=[tok,pos]",
            $"actortrain.finetune.nf4={(method == "lora+nf4" ? "on" : "off")}", "actortrain.train.lr=5e-3", "actortrain.train.min-lr=5e-4",
        ],
    };

    private static async Task<Result> FinetuneAsync(string dir, string basePath, string data, string method, int world, int steps, int rank, int threads,
        CancellationToken cancel)
    {
        var settings = Settings([
            .. Common(Path.Combine(dir, method.Replace('+', '-')), steps, threads), "actortrain.job.kind=finetune", $"actortrain.finetune.base={basePath}",
            "actortrain.data.source=jsonl", $"actortrain.data.path={data}", "actortrain.data.train-size=0", "actortrain.data.val-size=200",
            $"actortrain.train.micro-batch-size={64 / world}",
            // Every bucket all-reduced, as DDP does (no ZeRO sharding), so the bytes compare with the peer's.
            "actortrain.job.sync.shard-optimizer=off",
            .. ExampleSets(method, rank)]);
        var options = new TrainingRunOptions(settings, "# bench finetune\n", NullLoggerFactory.Instance);
        await using var group = await InProcessSyncGroup.CreateAsync(world, ActorTrain.Actors.Sync.SyncStrategy.Ring, new GradientSyncOptions(), cancellationToken: cancel);
        var syncs = group.Members.Select(m => new CountingGradientSync(m)).ToArray();
        var clock = new StepClock();
        var runs = Enumerable.Range(0, world).Select(r => Task.Factory.StartNew(
            () => DdpTrainer.RunAsync(options, syncs[r], r == 0 ? clock : new StepClock(), cancel),
            cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        var outcomes = await Task.WhenAll(runs);
        return new Result(method, syncs[0].BucketBytes / steps, clock.MillisecondsPerStep(), outcomes[0].InitialExactMatch, outcomes[0].ExactMatch,
            syncs[0].BucketBytes / steps / sizeof(float));
    }

    private static (long Float32, long Nf4, long DoubleQuant) BaseMemory(string basePath, int rank)
    {
        var settings = Settings([.. Common("unused", 100, 1), .. ExampleSets("lora", rank)]);
        var config = ModelFactory.ConfigFor(settings.Model);
        long Quantized(bool doubleQuant)
        {
            using var generator = new Generator(1);
            using var model = new Gpt(config, generator, CPU, lora: settings.Finetune.Lora);
            BaseWeights.Load(model, basePath);
            return model.QuantizeBase(doubleQuant).Nf4Bytes;
        }
        using var gen = new Generator(1);
        using var plain = new Gpt(config, gen, CPU, lora: settings.Finetune.Lora);
        var fp32 = plain.Adapters.Sum(a => a.BaseWeightBytes);
        return (fp32, Quantized(false), Quantized(true));
    }

    /// <summary>Times the step events after the first ten steps (start-up and the first evaluation excluded).</summary>
    private sealed class StepClock : ITrainingObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private (long Step, double Ms)? _first;
        private (long Step, double Ms)? _last;

        public void OnEvent(TrainingEvent e)
        {
            if (e.Kind != "step" || e.Step < 10) return;
            var now = (e.Step, _clock.Elapsed.TotalMilliseconds);
            _first ??= now;
            _last = now;
        }

        public double MillisecondsPerStep() =>
            _first is { } a && _last is { } b && b.Step > a.Step ? (b.Ms - a.Ms) / (b.Step - a.Step) : double.NaN;
    }
}
