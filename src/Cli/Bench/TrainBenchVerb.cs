using System.CommandLine;
using ActorTrain.Model.Nn;
using Spectre.Console;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench train</c>: one process, one training step = forward, cross entropy, backward, clipping, AdamW
/// (<see cref="GptTrainingBench"/>), beside bench/peers/pytorch_ddp_baseline.py with world 1 and the same model,
/// batch and thread count. Rounds alternate ours, peer, ours, peer, because the machine is noisy.
/// </summary>
public static class TrainBenchVerb
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = "Model preset (the peer is gpt-bench).", DefaultValueFactory = _ => "gpt-bench" };
        var batch = new Option<int>("--batch") { Description = "Sequences per step (× context tokens).", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 3 warm-ups).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads on both sides.", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (ours, peer) to run.", DefaultValueFactory = _ => 2 };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip the PyTorch peer." };
        var command = new Command("train", "Single-process training-step throughput of gpt-bench beside PyTorch (world 1).")
        {
            preset, batch, steps, threads, rounds, noPeer,
        };
        command.SetAction(parse => GuardedAction.Run(() =>
        {
            var config = GptConfig.FromPreset(parse.GetValue(preset)!);
            int b = parse.GetValue(batch), s = parse.GetValue(steps), t = parse.GetValue(threads), r = parse.GetValue(rounds);
            if (b < 1 || s < 1 || t < 1 || r < 1) throw new ArgumentException("--batch, --steps, --threads and --rounds must be at least 1");
            bool withPeer = !parse.GetValue(noPeer);
            if (withPeer)
            {
                PeerScripts.RequireTorch("pytorch_ddp_baseline.py");
                if (parse.GetValue(preset) != "gpt-bench")
                    throw new ArgumentException("the PyTorch peer implements gpt-bench only; use --preset gpt-bench or --no-peer");
            }
            var rows = new List<(int Round, GptBenchResult Ours, double? Peer)>();
            for (int round = 1; round <= r; round++)
            {
                var ours = GptTrainingBench.Run(config, s, b, t);
                Console.WriteLine($"actortrain train round={round} batch={b} threads={t} params={ours.Parameters} tokens_per_s={BenchFormat.F(ours.TokensPerSecond, "0")} " +
                    $"step_ms={BenchFormat.F(ours.StepMilliseconds, "0.0")} loss={BenchFormat.F(ours.FinalLoss, "0.0000")}");
                double? peer = null;
                if (withPeer)
                {
                    var line = PeerScripts.Run("pytorch_ddp_baseline.py", ["1", $"{s}", $"{t}", $"{b}"], t, TimeSpan.FromMinutes(10))
                        .Select(PeerLine.Parse).Last(l => l.Label == "pytorch-ddp");
                    peer = line.Number("tokens_per_s");
                    Console.WriteLine($"pytorch-ddp round={round} world=1 batch={b} threads={t} tokens_per_s={BenchFormat.F(peer.Value, "0")} step_ms={BenchFormat.F(line.Number("step_ms"), "0.0")}");
                }
                rows.Add((round, ours, peer));
            }
            var table = new Table().Title($"training step, {parse.GetValue(preset)}, batch {b} × {config.ContextLength} tokens, {t} thread(s): ActorTrain vs PyTorch")
                .AddColumn("round");
            foreach (string c in new[] { "ActorTrain tok/s", "ActorTrain ms/step", "PyTorch tok/s", "ratio" }) table.AddColumn(new TableColumn(c).RightAligned());
            foreach (var (round, ours, peer) in rows)
                table.AddRow($"{round}", BenchFormat.F(ours.TokensPerSecond, "#,0"), BenchFormat.F(ours.StepMilliseconds, "0.0"),
                    peer is { } p ? BenchFormat.F(p, "#,0") : "-", peer is { } q ? BenchFormat.Ratio(ours.TokensPerSecond, q) : "-");
            table.Caption("both sides: forward, CE, backward, clip to 1.0, AdamW; rounds alternate ours/peer");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
