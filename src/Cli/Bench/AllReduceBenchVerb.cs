using System.CommandLine;
using System.Globalization;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.Benchmark;
using Spectre.Console;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench allreduce</c>: all-reduce with every rank in its own process (ring or parameter server), then
/// bench/peers/gloo_allreduce_bench.py (torch.distributed gloo) on the same world, sizes and iterations in the same invocation, side by
/// side (nccl-tests definitions: algbw = S/t, busbw = algbw·2(n−1)/n).
/// </summary>
public static class AllReduceBenchVerb
{
    /// <summary>Name of the hidden verb a rank process runs.</summary>
    public const string WorkerVerb = "allreduce-worker";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var world = new Option<int>("--world") { Description = "Ranks, each a separate process.", DefaultValueFactory = _ => 4 };
        var sizes = new Option<string>("--sizes") { Description = "Buffer sizes, comma-separated (bytes or KiB/MiB/GiB).", DefaultValueFactory = _ => "1MiB,16MiB,64MiB" };
        var strategy = new Option<string>("--strategy") { Description = "ring or parameter-server.", DefaultValueFactory = _ => "ring" };
        var transport = new Option<string>("--transport") { Description = "auto (shared memory between co-located ranks), tcp, shared-memory or akka (Akka messages through Akka.Remote).", DefaultValueFactory = _ => "auto" };
        var iterations = new Option<int>("--iterations") { Description = "Timed all-reduces per size (after 2 warm-ups).", DefaultValueFactory = _ => 5 };
        var shards = new Option<int>("--ps-shards") { Description = "Parameter-server shards (0 = one per rank).", DefaultValueFactory = _ => 0 };
        var noPeer = new Option<bool>("--no-peer") { Description = "Skip the torch.distributed gloo peer." };
        var command = new Command("allreduce", "All-reduce bandwidth of ActorTrain's sync strategies beside torch.distributed (gloo).")
        {
            world, sizes, strategy, transport, iterations, shards, noPeer,
        };
        command.SetAction((parse, cancel) => GuardedAction.RunAsync(async () =>
        {
            int n = parse.GetValue(world);
            if (n < 1) throw new ArgumentException($"--world must be at least 1, got {n}");
            long[] bytes = [.. parse.GetValue(sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(AllReduceBenchmark.ParseSize)];
            if (bytes.Length == 0 || bytes.Any(b => b <= 0 || b % sizeof(float) != 0))
                throw new ArgumentException("--sizes must list positive sizes that are multiples of 4 bytes, e.g. 1MiB,16MiB");
            var syncStrategy = GradientSyncFactory.ParseStrategy(parse.GetValue(strategy)!);
            var transportKind = GradientSyncFactory.ParseTransport(parse.GetValue(transport)!);
            int iters = parse.GetValue(iterations);
            bool withPeer = !parse.GetValue(noPeer);
            if (withPeer) PeerScripts.RequireTorch("gloo_allreduce_bench.py");

            var ours = await AllReduceBenchmark.RunAsync(n, bytes, syncStrategy, transportKind, iters,
                args => SelfLauncher.StartInfo(["bench", WorkerVerb, .. args]), Console.Out, parse.GetValue(shards), cancellationToken: cancel);

            var peer = new Dictionary<long, PeerLine>();
            if (withPeer)
            {
                string sizeList = string.Join(",", bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)));
                foreach (string line in PeerScripts.Run("gloo_allreduce_bench.py", [$"{n}", sizeList, $"{iters}"], threads: 1, TimeSpan.FromMinutes(10)))
                {
                    Console.WriteLine(line);
                    var parsed = PeerLine.Parse(line);
                    if (parsed.Label == "gloo" && parsed.Has("bytes")) peer[(long)parsed.Number("bytes")] = parsed;
                }
            }
            PrintTable(ours, peer, syncStrategy == SyncStrategy.Ring ? "ring" : "parameter-server", withPeer);
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden worker verb: one rank, speaking <see cref="AllReduceBenchmark"/>'s line protocol on stdin/stdout.</summary>
    public static Command CreateWorker()
    {
        var command = new Command(WorkerVerb, "(internal) one rank of `bench allreduce`.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parse => AllReduceBenchmark.RunWorkerAsync([.. parse.UnmatchedTokens], Console.In, Console.Out));
        return command;
    }

    private static void PrintTable(IReadOnlyList<AllReduceMeasurement> ours, Dictionary<long, PeerLine> peer, string label, bool withPeer)
    {
        var table = new Table().Title($"all-reduce, world {ours.FirstOrDefault()?.World}: ActorTrain {label} vs torch.distributed gloo");
        table.AddColumn("size");
        foreach (string c in new[] { "ours ms", "ours algbw", "ours busbw", "gloo ms", "gloo busbw", "ratio" })
            table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var m in ours)
        {
            bool has = peer.TryGetValue(m.Bytes, out var g);
            table.AddRow(BenchFormat.Size(m.Bytes), BenchFormat.F(m.Seconds * 1e3, "0.000"), BenchFormat.F(m.AlgorithmBandwidth, "0.000"),
                BenchFormat.F(m.BusBandwidth, "0.000"),
                has ? BenchFormat.F(g!.Number("sec") * 1e3, "0.000") : "-",
                has ? BenchFormat.F(g!.Number("busbw"), "0.000") : "-",
                has ? BenchFormat.Ratio(m.BusBandwidth, g!.Number("busbw")) : "-");
        }
        if (!withPeer) table.Caption("peer skipped (--no-peer)");
        else table.Caption("same machine, same sizes, one invocation; bandwidths in GB/s; ratio = ours busbw / gloo busbw");
        AnsiConsole.Write(table);
    }
}
