using System.CommandLine;
using System.Diagnostics;
using ActorTrain.Cluster.Bench;
using Akka.Actor;
using Spectre.Console;

namespace ActorTrain.Cli.Bench;

/// <summary>
/// <c>actortrain bench pingpong</c>: remote request-reply throughput through Akka.Remote over loopback TCP (Akka.NET's
/// RemotePingPong shape, messages written by our MessagePack serializer), both actor systems in this process or, with
/// <c>--processes</c>, the ponger system in a child process.
/// </summary>
public static class PingPongBenchVerb
{
    /// <summary>Name of the hidden verb that hosts the ponger side.</summary>
    public const string ServerVerb = "pingpong-server";

    /// <summary>The home-grown remoting's figure that this replaced (bench/README.md, 2 processes, 4 pairs × 16).</summary>
    public const string PreviousFigure = "0.252 M msg/s";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var pairs = new Option<int>("--pairs") { Description = "Concurrent pinger/ponger pairs.", DefaultValueFactory = _ => 4 };
        var inflight = new Option<int>("--inflight") { Description = "Requests in flight per pair.", DefaultValueFactory = _ => 16 };
        var roundTrips = new Option<long>("--round-trips") { Description = "Round trips per pair.", DefaultValueFactory = _ => 50_000 };
        var processes = new Option<bool>("--processes") { Description = "Run the ponger system in a separate process (two processes on 127.0.0.1)." };
        var command = new Command("pingpong", "Remote request-reply throughput through Akka.Remote on loopback, beside Akka.NET's published RemotePingPong figure and our home-grown remoting's last figure.")
        {
            pairs, inflight, roundTrips, processes,
        };
        command.SetAction(parse => GuardedAction.RunAsync(async () =>
        {
            int p = parse.GetValue(pairs), window = parse.GetValue(inflight);
            long trips = parse.GetValue(roundTrips);
            if (p < 1 || window < 1 || trips < 1) throw new ArgumentException("--pairs, --inflight and --round-trips must be at least 1");
            bool separate = parse.GetValue(processes);
            var result = separate ? await RunTwoProcessesAsync(trips, p, window) : await RemotePingPongBench.RunInProcessAsync(trips, p, window);
            Console.WriteLine($"actortrain pingpong processes={(separate ? 2 : 1)} pairs={p} inflight={window} round_trips={result.RoundTrips} " +
                $"sec={BenchFormat.F(result.Elapsed.TotalSeconds, "0.000")} msgs_per_s={BenchFormat.F(result.MessagesPerSecond, "0")} cores={Environment.ProcessorCount}");
            var table = new Table().Title("remote ping-pong (request + reply counted, like Akka's RemotePingPong)")
                .AddColumn("system").AddColumn(new TableColumn("throughput").RightAligned()).AddColumn("machine");
            table.AddRow($"ActorTrain on Akka.Remote (measured now, {(separate ? "2 processes" : "1 process")})", $"{BenchFormat.F(result.MessagesPerSecond / 1e6, "0.000")} M msg/s",
                $"{Environment.ProcessorCount} cores, {p} pairs × {window} in flight");
            table.AddRow("ActorTrain home-grown remoting (before Akka; bench/README.md, not measured now)", PreviousFigure, "this 2-core machine");
            table.AddRow("Akka.NET RemotePingPong (published, not measured here)", "0.14–0.8 M msg/s", "12–16 cores");
            table.Caption("only the first row is measured in this run; the others are reference figures");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    /// <summary>The hidden server verb: prints <c>ADDRESS …</c>, serves until stdin closes.</summary>
    public static Command CreateServer()
    {
        var pairs = new Option<int>("--pairs") { DefaultValueFactory = _ => 4 };
        var command = new Command(ServerVerb, "(internal) ponger side of `bench pingpong --processes`.") { pairs };
        command.Hidden = true;
        command.SetAction(async parse =>
        {
            using var server = RemotePingPongBench.Serve(0, parse.GetValue(pairs));
            Console.WriteLine($"ADDRESS {RemotePingPongBench.AddressOf(server)}");
            Console.Out.Flush();
            while (await Console.In.ReadLineAsync() is not null) { }
            await server.Terminate();
            return 0;
        });
        return command;
    }

    private static async Task<RemotePingPongResult> RunTwoProcessesAsync(long trips, int pairs, int window)
    {
        var start = SelfLauncher.StartInfo(["bench", ServerVerb, "--pairs", $"{pairs}"]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        using var server = Process.Start(start) ?? throw new InvalidOperationException("could not start the ping-pong server process");
        try
        {
            string? line;
            do line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            while (line is not null && !line.StartsWith("ADDRESS ", StringComparison.Ordinal));
            if (line is null) throw new InvalidOperationException($"ping-pong server (pid {server.Id}) exited before printing its address; see its stderr above");
            var address = Address.Parse(line["ADDRESS ".Length..].Trim());
            return await RemotePingPongBench.RunClientAsync(address, trips, pairs, window);
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000)) server.Kill(entireProcessTree: true);
        }
    }
}
