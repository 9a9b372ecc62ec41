using System.CommandLine;
using System.Runtime.InteropServices;
using ActorTrain.Actors.Job;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using ActorTrain.Cli.Simulation;
using ActorTrain.Cluster.Hocon;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain node</c>: one node of a cluster job. Joins through the configured seed nodes, hosts nproc-per-node
/// ranks (and its parameter-server shards), trains, and leaves. Rank 0's training events go to stdout as event lines
/// (see <see cref="EventLine"/>); logs go to stderr. Exit code 0 when the job finished, 1 when it failed.
/// </summary>
public static class NodeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "HOCON config file (cluster, job, model, data, train)." };
        var sets = new Option<string[]>("--set") { Description = "Override a key: --set actortrain.train.steps=100 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var parentPid = new Option<int?>("--parent-pid") { Description = "Exit when this process ends (used by simulate)." };
        var membershipOnly = new Option<bool>("--membership-only") { Description = "Join the cluster and stay a member until stopped; run no job." };
        var verbose = new Option<bool>("--verbose") { Description = "Also show membership and Akka information lines on the console (the node's log file in the run directory always has them)." };
        var command = new Command("node", "Run one node of a cluster job: join through the seed nodes, host this node's ranks, train.")
        {
            config, sets, parentPid, membershipOnly, verbose,
        };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(sets) ?? [], parse.GetValue(parentPid), parse.GetValue(membershipOnly), parse.GetValue(verbose)));
        return command;
    }

    private static int Run(string? configPath, string[] sets, int? parentPid, bool membershipOnly, bool verbose)
    {
        LoadedConfig loaded;
        try
        {
            loaded = ActorTrainConfigLoader.Load(configPath, ProcessEnvironment.Snapshot(), sets, ProgramVariables.Names);
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            UserFacingError.Print(ex);
            return 1;
        }
        if (loaded.Settings.Job is { LocalRank: >= 0, NprocPerNode: > 1 } job)
        {
            // torchrun starts one process per local rank; an actortrain node hosts all of its node's ranks itself.
            Console.Error.WriteLine($"error: actortrain.job.local-rank = {job.LocalRank} (LOCAL_RANK) asks this process to host one of " +
                $"{job.NprocPerNode} local ranks, but an actortrain node hosts all nproc-per-node ranks of its node. Start one " +
                "`actortrain node` per machine (LOCAL_RANK unset), or make every process a node of its own: nproc-per-node = 1 and " +
                "a node-rank per process (as the Slurm and mpirun launchers do).");
            return 1;
        }
        var cluster = loaded.Settings.Cluster;
        string logFile = Path.Combine(loaded.Settings.Job.RunDir, "logs", $"node-{cluster.Hostname}-{cluster.Port}.log");
        using var loggerFactory = CliLogging.Create(verbose: verbose, logFile: logFile);
        var log = loggerFactory.CreateLogger("ActorTrain.Node");
        try
        {
            foreach (var warning in loaded.Warnings) log.LogWarning("{Warning}", warning);

            using var stop = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Cancel(); });
            if (parentPid is { } pid)
            {
                ParentWatchdog.Start(pid, () =>
                {
                    log.LogWarning("Parent process {Pid} is gone; stopping this node", pid);
                    stop.Cancel();
                    // A node stuck in native code must not outlive its parent.
                    Thread.Sleep(TimeSpan.FromSeconds(15));
                    Environment.Exit(3);
                });
            }

            if (membershipOnly)
            {
                JobNode.RunMembershipOnlyAsync(loaded, loggerFactory, stop.Token).GetAwaiter().GetResult();
                return 0;
            }
            var observer = new StdoutEventObserver();
            JobNode.RunAsync(new JobNodeOptions(loaded, loggerFactory, observer), stop.Token).GetAwaiter().GetResult();
            return 0;
        }
        catch (JobInterruptedException stopped)
        {
            loggerFactory.Dispose(); // flush queued log lines before the last line
            Console.Error.WriteLine($"interrupted: {stopped.Message}");
            return 130;
        }
        catch (Exception ex) when (UserFacingError.IsUserError(ex))
        {
            loggerFactory.Dispose(); // flush queued log lines before the error line
            UserFacingError.Print(ex);
            return 1;
        }
    }

    /// <summary>Writes rank 0's events to stdout as event lines, one at a time.</summary>
    private sealed class StdoutEventObserver : ITrainingObserver
    {
        private readonly Lock _gate = new();

        public void OnEvent(TrainingEvent e)
        {
            string line = EventLine.Format(e);
            lock (_gate)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }
        }
    }
}
