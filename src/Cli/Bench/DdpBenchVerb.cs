using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Benchmark;
using ActorTrain.Actors.Sync.Transport;
using Spectre.Console;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench ddp</c>: gpt-bench data-parallel training with <c>world</c> rank processes on this machine
/// (<see cref="DdpBenchWorker"/>), beside bench/peers/pytorch_ddp_baseline.py with the same world, steps,
/// threads per rank and per-rank batch, in the same invocation. Tokens/s count every rank's tokens.
/// </summary>
public static class DdpBenchVerb
{
    /// <summary>Name of the hidden verb a rank process runs.</summary>
    public const string WorkerVerb = "ddp-worker";

    /// <summary>One ActorTrain measurement.</summary>
    private sealed record Measurement(string Strategy, double TokensPerSecond, double StepMs, double Loss, int Buckets, string Transport, double SyncWaitMs);

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var world = new Option<int>("--world") { Description = "Ranks, each a separate process.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Sequences per rank per step (× 128 tokens).", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 3 warm-ups).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads per rank, on both sides.", DefaultValueFactory = _ => 1 };
        var strategy = new Option<string>("--strategy") { Description = "ring, parameter-server or parameter-server-optimizer (shards apply the optimizer), comma-separated.", DefaultValueFactory = _ => "ring" };
        var transport = new Option<string>("--transport") { Description = "auto, tcp or shared-memory.", DefaultValueFactory = _ => "auto" };
        var bucketCap = new Option<string>("--bucket-cap") { Description = "Gradient bucket cap (as actortrain.job.sync.bucket-cap).", DefaultValueFactory = _ => "25MiB" };
        var shardOptimizer = new Option<string>("--shard-optimizer")
        {
            Description = "auto, on or off (as actortrain.job.sync.shard-optimizer): each rank steps the optimizer on its shard only.",
            DefaultValueFactory = _ => "auto",
        };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (ours, peer).", DefaultValueFactory = _ => 1 };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip the PyTorch DDP peer." };
        var syncOverhead = new Option<bool>("--sync-overhead")
        {
            Description = "Also run the peer without gradient sync (DDP no_sync) and compare sync overheads: PyTorch's DDP step − its " +
                          "compute-only step beside ours (rank 0's wait for the gradient sync per step).",
        };
        var command = new Command("ddp", "Data-parallel gpt-bench training throughput, ranks as processes, beside PyTorch DDP (gloo).")
        {
            world, batch, steps, threads, strategy, transport, bucketCap, shardOptimizer, rounds, noPeer, syncOverhead,
        };
        command.SetAction((parse, cancel) => GuardedAction.RunAsync(async () =>
        {
            int n = parse.GetValue(world), b = parse.GetValue(batch), s = parse.GetValue(steps), t = parse.GetValue(threads), r = parse.GetValue(rounds);
            if (n < 1 || b < 1 || s < 1 || t < 1 || r < 1) throw new ArgumentException("--world, --batch, --steps, --threads and --rounds must be at least 1");
            string[] strategies = [.. parse.GetValue(strategy)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            foreach (string name in strategies) DdpBenchWorker.ParseStrategyLabel(name);
            GradientSyncFactory.ParseTransport(parse.GetValue(transport)!);
            long cap = AllReduceBenchmark.ParseSize(parse.GetValue(bucketCap)!);
            string sharding = parse.GetValue(shardOptimizer)!;
            DdpBenchWorker.ParseSharding(sharding);
            bool withPeer = !parse.GetValue(noPeer);
            if (withPeer) PeerScripts.RequireTorch("pytorch_ddp_baseline.py");

            bool overhead = withPeer && parse.GetValue(syncOverhead);
            var rows = new List<(int Round, List<Measurement> Ours, double? Peer, double? PeerOverheadMs)>();
            for (int round = 1; round <= r; round++)
            {
                var ours = new List<Measurement>();
                foreach (string name in strategies)
                {
                    var m = await RunOursAsync(n, b, s, t, name, parse.GetValue(transport)!, cap, sharding, cancel);
                    Console.WriteLine($"actortrain-ddp round={round} strategy={m.Strategy} transport={m.Transport} world={n} batch={b} buckets={m.Buckets} " +
                        $"tokens_per_s={BenchFormat.F(m.TokensPerSecond, "0")} step_ms={BenchFormat.F(m.StepMs, "0.0")} sync_wait_ms={BenchFormat.F(m.SyncWaitMs, "0.0")} loss={BenchFormat.F(m.Loss, "0.0000")}");
                    ours.Add(m);
                }
                double? peer = null, peerOverhead = null;
                if (withPeer)
                {
                    var line = PeerScripts.Run("pytorch_ddp_baseline.py", [$"{n}", $"{s}", $"{t}", $"{b}"], t, TimeSpan.FromMinutes(10))
                        .Select(PeerLine.Parse).Last(l => l.Label == "pytorch-ddp");
                    peer = line.Number("tokens_per_s");
                    Console.WriteLine($"pytorch-ddp round={round} world={n} batch={b} tokens_per_s={BenchFormat.F(peer.Value, "0")} step_ms={BenchFormat.F(line.Number("step_ms"), "0.0")}");
                    if (overhead)
                    {
                        var computeOnly = PeerScripts.Run("pytorch_ddp_baseline.py", [$"{n}", $"{s}", $"{t}", $"{b}", "no-sync"], t, TimeSpan.FromMinutes(10))
                            .Select(PeerLine.Parse).Last(l => l.Label == "pytorch-ddp");
                        peerOverhead = line.Number("step_ms") - computeOnly.Number("step_ms");
                        Console.WriteLine($"pytorch-ddp-no-sync round={round} world={n} batch={b} step_ms={BenchFormat.F(computeOnly.Number("step_ms"), "0.0")} " +
                                          $"sync_overhead_ms={BenchFormat.F(peerOverhead.Value, "0.0")}");
                    }
                }
                rows.Add((round, ours, peer, peerOverhead));
            }

            var table = new Table().Title($"gpt-bench DDP, {n} rank processes × {t} thread(s), batch {b} × 128 tokens per rank: ActorTrain vs PyTorch DDP")
                .AddColumn("round").AddColumn("ActorTrain strategy");
            foreach (string c in new[] { "ActorTrain tok/s", "ms/step", "PyTorch DDP tok/s", "ratio" }) table.AddColumn(new TableColumn(c).RightAligned());
            if (overhead) foreach (string c in new[] { "sync ms: ours", "PyTorch", "ours/PyTorch" }) table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var (round, ours, peer, peerOverhead) in rows)
                foreach (var m in ours)
                {
                    string[] cells = [$"{round}", $"{m.Strategy} ({m.Transport})", BenchFormat.F(m.TokensPerSecond, "#,0"), BenchFormat.F(m.StepMs, "0.0"),
                        peer is { } p ? BenchFormat.F(p, "#,0") : "-", peer is { } q ? BenchFormat.Ratio(m.TokensPerSecond, q) : "-"];
                    if (overhead)
                        cells = [.. cells, BenchFormat.F(m.SyncWaitMs, "0.0"), peerOverhead is { } o ? BenchFormat.F(o, "0.0") : "-",
                            peerOverhead is { } o2 && o2 > 0 ? BenchFormat.F(m.SyncWaitMs / o2, "0.00") + "×" : "-"];
                    table.AddRow(cells);
                }
            table.Caption("tokens/s over all ranks; both sides: mean CE, backward, bucketed gradient all-reduce, clip 1.0, AdamW");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden worker verb (one rank).</summary>
    public static Command CreateWorker()
    {
        var command = new Command(WorkerVerb, "(internal) one rank of `bench ddp`.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parse => DdpBenchWorker.RunAsync([.. parse.UnmatchedTokens], Console.In, Console.Out));
        return command;
    }

    private static async Task<Measurement> RunOursAsync(int world, int batch, int steps, int threads, string strategy, string transport, long bucketCap,
        string sharding, CancellationToken cancel)
    {
        var processes = new List<Process>();
        try
        {
            for (int rank = 0; rank < world; rank++)
            {
                var start = SelfLauncher.StartInfo(["bench", WorkerVerb, "--rank", $"{rank}", "--world", $"{world}", "--batch", $"{batch}",
                    "--steps", $"{steps}", "--threads", $"{threads}", "--strategy", strategy, "--transport", transport,
                    "--bucket-cap", bucketCap.ToString(CultureInfo.InvariantCulture), "--shard-optimizer", sharding, "--preset", "gpt-bench"]);
                start.RedirectStandardInput = true;
                start.RedirectStandardOutput = true;
                start.Environment["OMP_NUM_THREADS"] = $"{threads}";
                processes.Add(Process.Start(start) ?? throw new InvalidOperationException("could not start a ddp benchmark rank"));
            }
            var ring = new string[world];
            var ps = new List<string>();
            for (int rank = 0; rank < world; rank++)
            {
                var parts = (await ReadLineAsync(processes[rank], rank, "ENDPOINT", cancel)).Split(' ');
                ring[rank] = parts[1];
                if (parts[2] != "0") ps.Add(parts[2]);
            }
            string endpoints = $"ENDPOINTS {string.Join(",", ring)} PS {(ps.Count == 0 ? "-" : string.Join(",", ps))} TOKEN {DataLinkToken.ToHex(DataLinkToken.Create())}";
            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync(endpoints);
                await process.StandardInput.FlushAsync(cancel);
            }
            var result = (await ReadLineAsync(processes[0], 0, "RESULT", cancel)).Split(' ');
            foreach (var process in processes) await process.WaitForExitAsync(cancel).WaitAsync(TimeSpan.FromSeconds(60), cancel);
            for (int rank = 0; rank < world; rank++)
                if (processes[rank].ExitCode != 0) throw new InvalidOperationException($"ddp benchmark rank {rank} exited with code {processes[rank].ExitCode}; see its stderr above");
            double D(int i) => double.Parse(result[i], CultureInfo.InvariantCulture);
            return new Measurement(strategy, D(1), D(2), D(3), int.Parse(result[4], CultureInfo.InvariantCulture), result[5], D(6));
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.Dispose();
            }
        }
    }

    private static async Task<string> ReadLineAsync(Process process, int rank, string prefix, CancellationToken cancel)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancel);
            if (line is null) throw new InvalidOperationException($"ddp benchmark rank {rank} (pid {process.Id}) ended before printing {prefix}; see its stderr above");
            if (line.StartsWith(prefix + " ", StringComparison.Ordinal)) return line;
        }
    }
}
