using System.Diagnostics;
using System.Globalization;
using System.Net;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Ring;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Cluster.Node;
using Akka.Actor;

namespace ActorTrain.Actors.Sync.Benchmark;

/// <summary>One measured size: nccl-tests definitions (algbw = S/t, busbw = algbw·2(n−1)/n).</summary>
public sealed record AllReduceMeasurement(int World, long Bytes, double Seconds)
{
    /// <summary>Algorithm bandwidth in GB/s (10⁹ bytes).</summary>
    public double AlgorithmBandwidth => Bytes / Seconds / 1e9;

    /// <summary>Bus bandwidth in GB/s.</summary>
    public double BusBandwidth => World == 1 ? AlgorithmBandwidth : AlgorithmBandwidth * 2 * (World - 1) / World;
}

/// <summary>
/// All-reduce benchmark with every rank in its own process (the CLI verb <c>actortrain bench allreduce</c> drives
/// it). The coordinator starts the workers through a launcher, collects their listener ports, hands every worker
/// the full endpoint list and prints one nccl-tests-style line per size. Each worker times
/// <c>iterations</c> in-place sum all-reduces of a buffer of ones after two warm-ups and a barrier, like
/// bench/peers/gloo_allreduce_bench.py; rank 0's mean time is reported.
/// </summary>
public static class AllReduceBenchmark
{
    /// <summary>
    /// Runs the benchmark. <paramref name="launchWorker"/> turns worker arguments into a process start (e.g. the
    /// CLI's own executable with a worker verb that calls <see cref="RunWorkerAsync"/>); stdin/stdout are redirected
    /// by this method. <paramref name="parameterServerShards"/> 0 means one shard per rank process; <paramref name="chunkBytes"/>
    /// 0 keeps the default pipelining chunk (and shared-memory slot) size.
    /// </summary>
    public static async Task<IReadOnlyList<AllReduceMeasurement>> RunAsync(
        int world, IReadOnlyList<long> sizes, SyncStrategy strategy, TransportKind transport, int iterations,
        Func<IReadOnlyList<string>, ProcessStartInfo> launchWorker, TextWriter output,
        int parameterServerShards = 0, int chunkBytes = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(world, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        int shards = strategy == SyncStrategy.ParameterServer ? (parameterServerShards > 0 ? parameterServerShards : world) : 0;
        if (shards > world) throw new ArgumentException($"at most one parameter-server shard per rank process ({world}), got {shards}", nameof(parameterServerShards));
        string sizeList = string.Join(",", sizes.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        var processes = new List<Process>();
        try
        {
            for (int rank = 0; rank < world; rank++)
            {
                var start = launchWorker([
                    "--rank", $"{rank}", "--world", $"{world}", "--strategy", strategy == SyncStrategy.Ring ? "ring" : "parameter-server",
                    "--transport", GradientSyncFactory.TransportName(transport), "--sizes", sizeList, "--iterations", $"{iterations}", "--ps-shards", $"{shards}", "--chunk-bytes", $"{chunkBytes}"]);
                start.RedirectStandardInput = true;
                start.RedirectStandardOutput = true;
                start.UseShellExecute = false;
                processes.Add(Process.Start(start) ?? throw new InvalidOperationException($"could not start benchmark worker {start.FileName}"));
            }
            var ringPorts = new int[world];
            var psPorts = new List<int>();
            for (int rank = 0; rank < world; rank++)
            {
                string line = await ReadLineAsync(processes[rank], "ENDPOINT", cancellationToken).ConfigureAwait(false);
                var parts = line.Split(' ');
                ringPorts[rank] = int.Parse(parts[1], CultureInfo.InvariantCulture);
                if (rank < shards) psPorts.Add(int.Parse(parts[2], CultureInfo.InvariantCulture));
            }
            // The token travels on the workers' stdin (not their command lines, which other local users can read).
            string endpoints = $"ENDPOINTS {string.Join(",", ringPorts)} PS {(psPorts.Count == 0 ? "-" : string.Join(",", psPorts))} TOKEN {DataLinkToken.ToHex(DataLinkToken.Create())}";
            foreach (var process in processes) await process.StandardInput.WriteLineAsync(endpoints).ConfigureAwait(false);
            foreach (var process in processes) await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);

            var results = new List<AllReduceMeasurement>();
            string label = strategy == SyncStrategy.Ring ? "ring" : $"parameter-server({shards} shards)";
            foreach (long _ in sizes)
            {
                string line = await ReadLineAsync(processes[0], "RESULT", cancellationToken).ConfigureAwait(false);
                var parts = line.Split(' ');
                var measurement = new AllReduceMeasurement(world, long.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
                results.Add(measurement);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"actortrain {label} transport={parts[3]} world={world} bytes={measurement.Bytes} sec={measurement.Seconds:F5} algbw={measurement.AlgorithmBandwidth:F3} busbw={measurement.BusBandwidth:F3}"))
                    .ConfigureAwait(false);
            }
            foreach (var process in processes) await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return results;
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

    /// <summary>
    /// Worker entry point (one rank): takes the arguments <see cref="RunAsync"/> passes, speaks the line protocol on
    /// stdin/stdout, and returns the process exit code.
    /// </summary>
    public static async Task<int> RunWorkerAsync(IReadOnlyList<string> args, TextReader input, TextWriter output)
    {
        string Arg(string name) => args[args.ToList().IndexOf(name) + 1];
        int rank = int.Parse(Arg("--rank"), CultureInfo.InvariantCulture);
        int world = int.Parse(Arg("--world"), CultureInfo.InvariantCulture);
        var strategy = GradientSyncFactory.ParseStrategy(Arg("--strategy"));
        var transport = GradientSyncFactory.ParseTransport(Arg("--transport"));
        long[] sizes = [.. Arg("--sizes").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture))];
        int iterations = int.Parse(Arg("--iterations"), CultureInfo.InvariantCulture);
        int shards = int.Parse(Arg("--ps-shards"), CultureInfo.InvariantCulture);
        int chunkBytes = int.Parse(Arg("--chunk-bytes"), CultureInfo.InvariantCulture);
        // Transport akka: each worker is a node of its own, with Akka.Remote on 127.0.0.1 and a free port.
        using var system = transport == TransportKind.Akka ? ActorSystem.Create("allreduce-bench", BenchAkkaConfig) : null;
        var options = new GradientSyncOptions { Transport = transport, ActorSystem = system };
        if (chunkBytes > 0) options = options with { ChunkBytes = chunkBytes, SharedMemorySlotBytes = chunkBytes };
        string machine = PeerEndpoint.LocalMachineId();
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);

        await using var ringListener = SyncListener.Bind(loopback, options);
        ParameterServerShard? shard = rank < shards ? ParameterServerShard.Start(SyncListener.Bind(loopback, options), rank, shards, world, options) : null;
        try
        {
            await output.WriteLineAsync($"ENDPOINT {ringListener.LocalEndpoint.Port} {shard?.LocalEndpoint.Port ?? 0}").ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
            string line = await input.ReadLineAsync().ConfigureAwait(false) ?? throw new EndOfStreamException("coordinator closed stdin");
            var parts = line.Split(' ');
            var ranks = parts[1].Split(',').Select((p, r) => new PeerEndpoint(r, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            var servers = parts[3] == "-" ? [] : parts[3].Split(',').Select((p, k) => new PeerEndpoint(k, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            byte[] token = DataLinkToken.FromHex(parts[5]);
            shard?.SetDataLinkToken(token);

            await using var sync = await GradientSyncFactory.CreateAsync(strategy, new SyncRendezvous(rank, ranks, servers) { Listener = ringListener, DataLinkToken = token }, options)
                .ConfigureAwait(false);
            string transportUsed = sync switch
            {
                RingAllReduceSync ring => ring.AllReduceTransport,
                ParameterServerSync ps => string.Join("+", ps.TransportToShards.Distinct()),
                _ => "?",
            };
            foreach (long bytes in sizes)
            {
                var buffer = new float[bytes / sizeof(float)];
                Array.Fill(buffer, 1f);
                for (int i = 0; i < 2; i++) await sync.AllReduceAsync(buffer, ReduceOp.Sum).ConfigureAwait(false);
                await sync.BarrierAsync().ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < iterations; i++) await sync.AllReduceAsync(buffer, ReduceOp.Sum).ConfigureAwait(false);
                double seconds = clock.Elapsed.TotalSeconds / iterations;
                if (rank == 0)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"RESULT {bytes} {seconds:R} {transportUsed}")).ConfigureAwait(false);
                    await output.FlushAsync().ConfigureAwait(false);
                }
            }
            await sync.BarrierAsync().ConfigureAwait(false);
            return 0;
        }
        finally
        {
            if (shard is not null) await shard.DisposeAsync().ConfigureAwait(false);
            if (system is not null) await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>reference.conf's akka section (our serializer, the 4 MiB frame size) with remoting, no cluster, on a free port.</summary>
    private static global::Akka.Configuration.Config BenchAkkaConfig => AkkaConfig.Reference(
        "actortrain.cluster.port = 0\nakka.actor.provider = remote\nakka.loglevel = WARNING");

    /// <summary>Parses "1MiB", "16MiB", "512KiB", "1GiB" or plain bytes.</summary>
    public static long ParseSize(string text)
    {
        text = text.Trim();
        (string suffix, long factor)[] units = [("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("B", 1)];
        foreach (var (suffix, factor) in units)
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && long.TryParse(text[..^suffix.Length], NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
                return n * factor;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long bytes) && bytes >= 0
            ? bytes
            : throw new ArgumentException($"size '{text}' is not understood; use bytes or a KiB/MiB/GiB suffix, e.g. 16MiB", nameof(text));
    }

    private static async Task<string> ReadLineAsync(Process process, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
                throw new InvalidOperationException($"benchmark worker (pid {process.Id}) ended before printing {prefix}; see its stderr above");
            if (line.StartsWith(prefix + " ", StringComparison.Ordinal)) return line;
        }
    }
}
