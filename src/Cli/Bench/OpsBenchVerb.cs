using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using static TorchSharp.torch;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench ops</c>: the fixed cost of one tiny op — <c>a + b</c> on two 8-element float32 tensors, 100,000
/// times, one thread — in TorchSharp beside PyTorch eager (bench/peers/tiny_op_overhead.py), rounds alternating. At small
/// batches a training step is mostly such per-op overhead (the libtorch dispatcher plus the binding).
/// </summary>
public static class OpsBenchVerb
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var ops = new Option<int>("--ops") { Description = "Ops per round.", DefaultValueFactory = _ => 100_000 };
        var size = new Option<int>("--size") { Description = "Elements per tensor.", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (ours, peer).", DefaultValueFactory = _ => 3 };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip the PyTorch peer." };
        var command = new Command("ops", "Per-op overhead: 100,000 adds of two 8-element tensors, TorchSharp vs PyTorch eager (µs/op).")
        {
            ops, size, rounds, noPeer,
        };
        command.SetAction(parse => GuardedAction.Run(() =>
        {
            int n = parse.GetValue(ops), s = parse.GetValue(size), r = parse.GetValue(rounds);
            if (n < 1 || s < 1 || r < 1) throw new ArgumentException("--ops, --size and --rounds must be at least 1");
            bool withPeer = !parse.GetValue(noPeer);
            if (withPeer) PeerScripts.RequireTorch("tiny_op_overhead.py");
            var table = new Table().Title($"a + b on two {s}-element float32 tensors, {n:N0} times, 1 thread").AddColumn("round");
            foreach (string c in new[] { "TorchSharp µs/op", "PyTorch µs/op", "PyTorch / TorchSharp" }) table.AddColumn(new TableColumn(c).RightAligned());
            for (int round = 1; round <= r; round++)
            {
                double ours = MicrosecondsPerAdd(n, s);
                Console.WriteLine($"torchsharp-ops round={round} ops={n} size={s} us_per_op={BenchFormat.F(ours, "0.000")}");
                double? peer = null;
                if (withPeer)
                {
                    peer = PeerScripts.Run("tiny_op_overhead.py", [$"{n}", $"{s}"], 1, TimeSpan.FromMinutes(5))
                        .Select(PeerLine.Parse).Last(l => l.Label == "pytorch-ops").Number("us_per_op");
                    Console.WriteLine($"pytorch-ops round={round} ops={n} size={s} us_per_op={BenchFormat.F(peer.Value, "0.000")}");
                }
                table.AddRow($"{round}", BenchFormat.F(ours, "0.000"), peer is { } p ? BenchFormat.F(p, "0.000") : "-",
                    peer is { } q ? BenchFormat.Ratio(q, ours) : "-");
            }
            table.Caption("ratio > 1: TorchSharp's op is cheaper; each result is disposed at once (as a dispose scope would)");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static double MicrosecondsPerAdd(int ops, int size)
    {
        set_num_threads(1);
        using var a = rand(size);
        using var b = rand(size);
        for (int i = 0; i < 1000; i++) (a + b).Dispose();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < ops; i++) (a + b).Dispose();
        return clock.Elapsed.TotalMicroseconds / ops;
    }
}
