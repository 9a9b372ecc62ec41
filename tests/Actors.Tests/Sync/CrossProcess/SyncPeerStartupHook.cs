using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Sync.ParameterServer;
using ActorTrain.Actors.Sync.Transport;
using ActorTrain.Actors.Tests.Sync;

/// <summary>
/// Turns the test assembly into a sync peer process for the cross-process tests, without a separate project:
/// the tests start <c>dotnet exec ActorTrain.Actors.Tests.dll</c> with DOTNET_STARTUP_HOOKS pointing at this
/// assembly and the peer's settings in ACTORTRAIN_SYNC_TEST_PEER; the runtime calls <see cref="Initialize"/> before
/// Main, which runs the peer and exits. Without that variable it does nothing.
/// Line protocol on stdout/stdin: "ENDPOINT ringPort psPort", then "ENDPOINTS p0,p1,… PS q0|- TOKEN hex", then
/// "ITER i sha256 ok|bad" per all-reduce, or "FAILED failedRank message" (exit 3); "ABORT r" on stdin aborts the group.
/// </summary>
internal static class StartupHook
{
    public const string PeerVariable = "ACTORTRAIN_SYNC_TEST_PEER";

    public static void Initialize()
    {
        string? settings = Environment.GetEnvironmentVariable(PeerVariable);
        if (settings is null) return;
        Environment.Exit(RunPeerAsync(settings.Split(';')).GetAwaiter().GetResult());
    }

    private static async Task<int> RunPeerAsync(string[] settings)
    {
        int rank = int.Parse(settings[0], CultureInfo.InvariantCulture);
        int world = int.Parse(settings[1], CultureInfo.InvariantCulture);
        var strategy = GradientSyncFactory.ParseStrategy(settings[2]);
        var transport = GradientSyncFactory.ParseTransport(settings[3]);
        int length = int.Parse(settings[4], CultureInfo.InvariantCulture);
        int iterations = int.Parse(settings[5], CultureInfo.InvariantCulture); // −1: until failure
        var options = new GradientSyncOptions { Transport = transport, ConnectTimeout = TimeSpan.FromSeconds(20), CollectiveTimeout = TimeSpan.FromSeconds(60) };
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var listener = SyncListener.Bind(loopback, options);
        ParameterServerShard? shard = strategy == SyncStrategy.ParameterServer && rank == 0
            ? ParameterServerShard.Start(SyncListener.Bind(loopback, options), 0, 1, world, options) : null;
        try
        {
            Console.WriteLine($"ENDPOINT {listener.LocalEndpoint.Port} {shard?.LocalEndpoint.Port ?? 0}");
            var parts = (Console.ReadLine() ?? throw new EndOfStreamException("no endpoints on stdin")).Split(' ');
            const string machine = "cross-process-test";
            var ranks = parts[1].Split(',').Select((p, r) => new PeerEndpoint(r, "127.0.0.1", int.Parse(p, CultureInfo.InvariantCulture), machine)).ToArray();
            PeerEndpoint[] servers = parts[3] == "-" ? [] : [new PeerEndpoint(0, "127.0.0.1", int.Parse(parts[3], CultureInfo.InvariantCulture), machine)];
            byte[] token = DataLinkToken.FromHex(parts[5]);
            shard?.SetDataLinkToken(token);
            await using var sync = await GradientSyncFactory.CreateAsync(strategy, new SyncRendezvous(rank, ranks, servers) { Listener = listener, DataLinkToken = token }, options);
            _ = Task.Run(() => ObeyAborts(sync));
            bool verify = iterations >= 0; // endless runs (kill tests) only need traffic, not references
            for (int i = 0; iterations < 0 || i < iterations; i++)
            {
                float[][] inputs = verify ? [.. Enumerable.Range(0, world).Select(r => SyncTestSupport.Input(i, r, length))] : [];
                float[] buffer = verify ? (float[])inputs[rank].Clone() : new float[length];
                await sync.AllReduceAsync(buffer, ReduceOp.Sum);
                bool ok = true;
                try { if (verify) SyncTestSupport.AssertCloseToSum(buffer, inputs); }
                catch (Exception) { ok = false; }
                string hash = Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(buffer.AsSpan())));
                Console.WriteLine($"ITER {i} {hash} {(ok ? "ok" : "bad")}");
            }
            await sync.BarrierAsync();
            return 0;
        }
        catch (CollectiveFailedException failure)
        {
            Console.WriteLine($"FAILED {failure.FailedRank?.ToString(CultureInfo.InvariantCulture) ?? "none"} {failure.Message.ReplaceLineEndings(" ")}");
            return 3;
        }
        finally
        {
            if (shard is not null) await shard.DisposeAsync();
        }
    }

    /// <summary>"ABORT r" on stdin: what the job layer does when membership finds rank r's node unreachable.</summary>
    private static void ObeyAborts(IGradientSync sync)
    {
        while (Console.ReadLine() is { } line)
            if (line.StartsWith("ABORT ", StringComparison.Ordinal))
            {
                int failed = int.Parse(line[6..], CultureInfo.InvariantCulture);
                sync.Abort($"rank {failed} stopped responding (test)", failed);
            }
    }
}
