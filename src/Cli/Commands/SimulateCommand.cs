using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Simulation;
using ActorTrain.Cluster.Hocon;
using Spectre.Console;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain simulate</c>: a multi-node job on this machine. Starts N <c>actortrain node</c> processes on
/// 127.0.0.1 (free ports, node 0 is the seed), streams their logs (prefixed [node-i]) and rank 0's progress to one
/// console, and stops them all when the job ends, a node fails, or on Ctrl-C. Without arguments it runs the default
/// job: 4 nodes, ring all-reduce, gpt-small on the arithmetic corpus.
/// </summary>
public static class SimulateCommand
{
    /// <summary>Nodes simulated when neither --nodes nor a config file says otherwise.</summary>
    public const int DefaultNodes = 4;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var nodes = new Option<int?>("--nodes") { Description = $"Node processes to start (default: job.nnodes of --config, else {DefaultNodes})." };
        var procs = new Option<int?>("--procs-per-node") { Description = "Ranks per node (default: job.nproc-per-node)." };
        var strategy = new Option<string?>("--strategy") { Description = "ring or parameter-server (default: job.sync.strategy)." };
        var transport = new Option<string?>("--transport") { Description = "auto (shared memory between co-located ranks), tcp or akka (Akka messages through Akka.Remote) (default: job.sync.transport)." };
        var config = new Option<string?>("--config") { Description = "HOCON config file for every node." };
        var sets = new Option<string[]>("--set") { Description = "Override a key on every node: --set actortrain.train.steps=50 (repeatable)." };
        var dashboard = new Option<int?>("--dashboard")
        {
            Description = "Serve the live dashboard on 127.0.0.1:PORT (a free port when PORT is left out); sets actortrain.dashboard.port.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var verbose = new Option<bool>("--verbose") { Description = "Show every log line of every node (default: rank 0's progress, the summary, warnings and errors; every node's full log is in <run-dir>/logs)." };
        var command = new Command("simulate", "Simulate a multi-node cluster on this machine: start N node processes and run one job across them.")
        {
            nodes, procs, strategy, transport, config, sets, verbose, dashboard,
        };
        command.SetAction(parse =>
        {
            try
            {
                string[] userSets = parse.GetValue(sets) ?? [];
                if (parse.GetResult(dashboard) is not null)
                    userSets = [.. userSets, $"actortrain.dashboard.port={parse.GetValue(dashboard) ?? FreePorts.Take(1)[0]}"];
                return Run(parse.GetValue(nodes), parse.GetValue(procs), parse.GetValue(strategy), parse.GetValue(transport),
                    parse.GetValue(config), userSets, parse.GetValue(verbose));
            }
            catch (Exception ex) when (UserFacingError.IsUserError(ex))
            {
                UserFacingError.Print(ex);
                return 1;
            }
        });
        return command;
    }

    private static int Run(int? nodesOption, int? procsOption, string? strategy, string? transport, string? configPath, string[] userSets, bool verbose)
    {
        if (strategy is not null && strategy is not ("ring" or "parameter-server"))
            throw new ArgumentException($"--strategy {strategy} is not known; use ring or parameter-server");
        if (transport is not null && transport is not ("auto" or "tcp" or "akka"))
            throw new ArgumentException($"--transport {transport} is not known; use auto, tcp or akka");
        if (configPath is not null && !File.Exists(configPath))
            throw new FileNotFoundException($"config file {configPath} does not exist", configPath);

        // Load once here: validates the user's settings before any process starts, and gives the job's shape. The
        // --strategy/--transport flags count as overrides already, since settings are checked against each other.
        string[] probeSets = [.. userSets, .. NodeLaunchPlan.FlagSets(strategy, transport)];
        var probe = ActorTrainConfigLoader.Load(configPath, ProcessEnvironment.Snapshot(), probeSets, ProgramVariables.Names).Settings;
        int nodes = nodesOption ?? (configPath is not null ? probe.Job.Nnodes : DefaultNodes);
        int procs = procsOption ?? probe.Job.NprocPerNode;
        if (nodes < 1) throw new ArgumentException($"--nodes must be at least 1, got {nodes}");
        if (procs < 1) throw new ArgumentException($"--procs-per-node must be at least 1, got {procs}");
        var plan = new NodeLaunchPlan(nodes, procs, FreePorts.Take(nodes), probe.Cluster.SystemName, configPath,
            userSets, strategy, transport, Environment.ProcessId, verbose) { MetricsPort = probe.Metrics.Port };
        // The nodes' own view of the settings (our overrides included), for the summary and the failure grace.
        var settings = ActorTrainConfigLoader.Load(configPath, ProcessEnvironment.Snapshot(), plan.SetsFor(0), ProgramVariables.Names).Settings;
        var detector = settings.Cluster.FailureDetector;
        // Long enough for the surviving nodes to notice a dead one (collectives fail at once; membership within
        // heartbeat-interval + acceptable-heartbeat-pause) and to exit with their own message.
        var grace = detector.HeartbeatInterval + detector.AcceptableHeartbeatPause + TimeSpan.FromSeconds(15);

        bool showAll = verbose;
        // Every node gets the port; only the one hosting the job coordinator (node-0, the seed) serves it.
        var view = new TrainingProgressView { DashboardUrl = settings.Dashboard.Enabled ? settings.Dashboard.Url("/") : null };
        var tail = new NodeOutputTail();
        var (executable, prefix) = SelfExecutable();

        Console.WriteLine($"simulate: {nodes} nodes × {procs} ranks, strategy {settings.Job.Sync.Strategy.ToString().ToLowerInvariant()}, " +
                          $"transport {settings.Job.Sync.Transport.ToString().ToLowerInvariant()}, {settings.Train.Steps} steps, run directory {settings.Job.RunDir}");
        var wall = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        ChildProcessGroup? children = null;
        // SIGINT/SIGTERM go on to every node as SIGINT: each stops its ranks together, rank 0 writes the interrupt
        // checkpoint, and the nodes leave the cluster; simulate waits for that before it reports.
        void Interrupt()
        {
            if (stop.IsCancellationRequested) return;
            stop.Cancel();
            children?.Signal(PosixSignal.SIGINT);
        }
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; Interrupt(); };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; Interrupt(); });
        var errorWriter = Console.Error;
        var errorGate = new Lock();
        // The other nodes start once the seed listens, so they do not first find its port closed (a warning and a
        // retry delay in Akka's join).
        using var seedListening = new ManualResetEventSlim();
        NodeRelauncher? relauncher = null;
        using var group = new ChildProcessGroup((name, line, _) =>
        {
            relauncher?.Observe(name, line);
            if (name == "node-0" && line.Contains(" started; seed nodes", StringComparison.Ordinal)) seedListening.Set();
            if (EventLine.TryParse(line, out var e) && e is not null) { view.Writer.TryWrite(e); return; }
            tail.Add(name, line);
            if (showAll || NodeOutputTail.IsWarningOrWorse(line))
                lock (errorGate) errorWriter.WriteLine($"[{name}] {line}");
        });
        children = group;
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                if (i == 1) seedListening.Wait(TimeSpan.FromSeconds(60), stop.Token);
                var process = group.Start($"node-{i}", executable, [.. prefix, .. plan.ArgumentsFor(i)]);
                if (i == 0) process.Exited += (_, _) => seedListening.Set(); // a seed that fails to start: no waiting
                Console.WriteLine($"simulate: node-{i}: pid {process.Id}, {plan.AddressOf(i)}{(i == 0 ? " (seed)" : "")}");
                if (plan.MetricsPortOf(i) > 0) Console.WriteLine($"simulate: node-{i}: metrics at {(settings.Metrics with { Port = plan.MetricsPortOf(i) }).Url("/metrics")}");
            }
            var progress = view.RunAsync($"{nodes} nodes × {procs} ranks", settings.Train.Steps);
            (string Name, int ExitCode)? failed;
            try
            {
                // A node that the survivors name as the cause and that is still running (frozen, cut off) will not
                // exit by itself: once only such nodes are left, stop waiting.
                relauncher = settings.Job.MaxRestarts > 0
                    ? new NodeRelauncher(group, settings.Job.MaxRestarts, NodeRelauncher.DelayFor(detector),
                            name => group.Restart(name, executable, [.. prefix, .. plan.ArgumentsFor(int.Parse(name["node-".Length..]), relaunch: true)]),
                            line => { lock (errorGate) errorWriter.WriteLine($"simulate: {line}"); })
                    : null;
                failed = relauncher is not null
                    ? relauncher.WaitAllAsync(grace + settings.Job.JoinTimeout, stop.Token).GetAwaiter().GetResult()
                    : group.WaitAllAsync(grace, stop.Token, running =>
                        FailureCulprit.Find(plan, group.ExitCodes(), tail) is { } culprit && running.All(r => r == culprit.Node)).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // The nodes got SIGINT: give them time to stop together (rank 0 checkpoints) and leave the cluster.
                Console.Error.WriteLine("simulate: interrupted; waiting for the nodes to stop…");
                bool stoppedInTime = group.WaitForExitAsync(grace).GetAwaiter().GetResult();
                group.KillAll();
                view.Writer.TryComplete();
                progress.GetAwaiter().GetResult();
                Console.Error.WriteLine(stoppedInTime
                    ? "simulate: interrupted; every node stopped."
                    : $"simulate: interrupted; nodes still running after {grace.TotalSeconds:0}s were killed.");
                foreach (var line in tail.Lines("node-0").Where(l => l.StartsWith("interrupted:", StringComparison.Ordinal)))
                    Console.Error.WriteLine($"simulate: [node-0] {line}");
                return 130;
            }
            view.Writer.TryComplete();
            progress.GetAwaiter().GetResult();
            if (failed is null)
            {
                view.PrintSummary(settings.Job.RunDir, wall.Elapsed);
                Console.WriteLine($"simulate: all {nodes} nodes finished.");
                return 0;
            }
            ReportFailure(failed.Value.Name, failed.Value.ExitCode, plan, group, tail);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            group.KillAll();
        }
    }

    private static void ReportFailure(string firstToExit, int exitCode, NodeLaunchPlan plan, ChildProcessGroup group, NodeOutputTail tail)
    {
        var culprit = FailureCulprit.Find(plan, group.ExitCodes(), tail) ?? (firstToExit, Describe(exitCode));
        Console.Error.WriteLine($"simulate: the job failed: {culprit.Node} ({plan.AddressOf(int.Parse(culprit.Node["node-".Length..]))}) {culprit.What}.");
        for (int i = 0; i < plan.Nodes; i++)
        {
            string name = $"node-{i}";
            var lines = tail.FinalErrorLines(name);
            if (lines.Count == 0 && name == culprit.Node) lines = tail.Lines(name).TakeLast(5).ToList();
            foreach (var line in lines) Console.Error.WriteLine($"simulate: [{name}] {line}");
        }
        Console.Error.WriteLine("simulate: all node processes were stopped.");
    }

    /// <summary>"was killed by signal 9 (exit code 137)" or "exited with code 1".</summary>
    internal static string Describe(int exitCode) =>
        exitCode > 128 ? $"was killed by signal {exitCode - 128} (exit code {exitCode})" : $"exited with code {exitCode}";

    /// <summary>This program as a command: the apphost itself, or `dotnet actortrain.dll` when run through dotnet.</summary>
    private static (string Executable, string[] Prefix) SelfExecutable()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start node processes");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            return (process, [typeof(SimulateCommand).Assembly.Location]);
        return (process, []);
    }
}
