using System.CommandLine;
using System.Diagnostics;
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
        var transport = new Option<string?>("--transport") { Description = "auto (shared memory between co-located ranks) or tcp (default: job.sync.transport)." };
        var config = new Option<string?>("--config") { Description = "HOCON config file for every node." };
        var sets = new Option<string[]>("--set") { Description = "Override a key on every node: --set actortrain.train.steps=50 (repeatable)." };
        var verbose = new Option<bool>("--verbose") { Description = "Show every log line of every node (default on a terminal: warnings and errors only)." };
        var command = new Command("simulate", "Simulate a multi-node cluster on this machine: start N node processes and run one job across them.")
        {
            nodes, procs, strategy, transport, config, sets, verbose,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(nodes), parse.GetValue(procs), parse.GetValue(strategy), parse.GetValue(transport),
                    parse.GetValue(config), parse.GetValue(sets) ?? [], parse.GetValue(verbose));
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
        if (transport is not null && transport is not ("auto" or "tcp"))
            throw new ArgumentException($"--transport {transport} is not known; use auto or tcp");
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
            userSets, strategy, transport, Environment.ProcessId);
        // The nodes' own view of the settings (our overrides included), for the summary and the failure grace.
        var settings = ActorTrainConfigLoader.Load(configPath, ProcessEnvironment.Snapshot(), plan.SetsFor(0), ProgramVariables.Names).Settings;
        var detector = settings.Cluster.FailureDetector;
        // Long enough for the surviving nodes to notice a dead one (collectives fail at once; membership within
        // heartbeat-interval + acceptable-heartbeat-pause) and to exit with their own message.
        var grace = detector.HeartbeatInterval + detector.AcceptableHeartbeatPause + TimeSpan.FromSeconds(15);

        bool interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
        bool showAll = verbose || !interactive;
        var view = new TrainingProgressView();
        var tail = new NodeOutputTail();
        var (executable, prefix) = SelfExecutable();

        Console.WriteLine($"simulate: {nodes} nodes × {procs} ranks, strategy {settings.Job.Sync.Strategy.ToString().ToLowerInvariant()}, " +
                          $"transport {settings.Job.Sync.Transport.ToString().ToLowerInvariant()}, {settings.Train.Steps} steps, run directory {settings.Job.RunDir}");
        var wall = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        var errorWriter = Console.Error;
        var errorGate = new Lock();
        using var group = new ChildProcessGroup((name, line, _) =>
        {
            if (EventLine.TryParse(line, out var e) && e is not null) { view.Writer.TryWrite(e); return; }
            tail.Add(name, line);
            if (showAll || NodeOutputTail.IsWarningOrWorse(line))
                lock (errorGate) errorWriter.WriteLine($"[{name}] {line}");
        });
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                var process = group.Start($"node-{i}", executable, [.. prefix, .. plan.ArgumentsFor(i)]);
                Console.WriteLine($"simulate: node-{i}: pid {process.Id}, {plan.AddressOf(i)}{(i == 0 ? " (seed)" : "")}");
            }
            var progress = view.RunAsync($"{nodes} nodes × {procs} ranks", settings.Train.Steps);
            (string Name, int ExitCode)? failed;
            try
            {
                failed = group.WaitAllAsync(grace, stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // On a terminal, Ctrl-C reached the nodes too: give them time to stop together (rank 0 checkpoints).
                Console.Error.WriteLine("simulate: interrupted; waiting for the nodes to stop…");
                try { group.WaitAllAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(grace).GetAwaiter().GetResult(); }
                catch (TimeoutException) { }
                group.KillAll();
                view.Writer.TryComplete();
                progress.GetAwaiter().GetResult();
                Console.Error.WriteLine("simulate: interrupted; all node processes were stopped.");
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
            ReportFailure(failed.Value.Name, failed.Value.ExitCode, nodes, tail);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            group.KillAll();
        }
    }

    private static void ReportFailure(string failedNode, int exitCode, int nodes, NodeOutputTail tail)
    {
        string how = exitCode > 128 ? $"killed by signal {exitCode - 128} (exit code {exitCode})" : $"exit code {exitCode}";
        Console.Error.WriteLine($"simulate: the job failed: {failedNode} ended first, {how}.");
        for (int i = 0; i < nodes; i++)
        {
            string name = $"node-{i}";
            var lines = tail.FinalErrorLines(name);
            if (lines.Count == 0 && name == failedNode) lines = tail.Lines(name).TakeLast(5).ToList();
            foreach (var line in lines) Console.Error.WriteLine($"simulate: [{name}] {line}");
        }
        Console.Error.WriteLine("simulate: all node processes were stopped.");
    }

    /// <summary>This program as a command: the apphost itself, or `dotnet actortrain.dll` when run through dotnet.</summary>
    private static (string Executable, string[] Prefix) SelfExecutable()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start node processes");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            return (process, [typeof(SimulateCommand).Assembly.Location]);
        return (process, []);
    }
}
