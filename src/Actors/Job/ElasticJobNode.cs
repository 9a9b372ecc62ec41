using ActorTrain.Cluster.Node;
using ActorTrain.Cluster.Settings;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Job;

/// <summary>
/// A node of an elastic job (<c>actortrain.job.max-restarts</c> &gt; 0), like torchrun's elastic agent: when the job
/// loses a member, this node stops its ranks (aborting the sync groups), waits until membership confirms who is gone,
/// stops its actor system (the split-brain resolver downs every member anyway, see <see cref="SurvivingMembers"/>),
/// starts a fresh one that rejoins through the survivors, and re-runs the rendezvous — which waits up to
/// job.join-timeout for max-nodes (the lost node relaunched, or a replacement) and otherwise goes on with at least
/// min-nodes. Every rank then resumes from the last complete checkpoint. Each restart is logged with its cause and
/// counted; the node that hosts rank 0 records it in the run directory's restarts.jsonl (<see cref="RestartLog"/>).
/// </summary>
internal static class ElasticJobNode
{
    /// <summary>Runs attempts until one finishes, fails in a way a restart cannot help (e.g. the rendezvous timed out),
    /// or the job restarted max-restarts times.</summary>
    public static async Task<JobNodeResult> RunAsync(JobNodeOptions options, CancellationToken ct)
    {
        var settings = options.Config.Settings;
        var job = settings.Job;
        var log = options.LoggerFactory.CreateLogger("ActorTrain.Job");
        var attempt = new JobAttempt(null, null);
        while (true)
        {
            try
            {
                return await JobNode.RunAttemptAsync(options, attempt, ct).ConfigureAwait(false);
            }
            catch (JobMemberLostException lost)
            {
                int next = lost.Attempt + 1;
                if (next > job.MaxRestarts)
                {
                    string message = $"{lost.Message} The job restarted {lost.Attempt} time(s) already: actortrain.job.max-restarts = {job.MaxRestarts}.";
                    log.LogError("{Message}", message);
                    throw new JobFailedException(message);
                }
                var seeds = SurvivingMembers.RestartSeeds(lost.Survivors, settings.Cluster.SeedNodes);
                log.LogWarning(RestartAnnouncement.Template,
                    next, job.MaxRestarts, lost.Cause, lost.Lost.Count == 0 ? "no node (a rank failed)" : string.Join(", ", lost.Lost), string.Join(", ", seeds));
                attempt = new JobAttempt(new RestartContext(next, lost.Cause, [.. lost.Lost]), seeds);
                // The other survivors notice the loss up to about one heartbeat later and stop their old actor systems;
                // rejoining before that could reach a seed of the old, downed cluster. The first seed starts first, so
                // the others find it listening (a refused first try costs them a seed-node-timeout).
                var pause = settings.Cluster.FailureDetector.HeartbeatInterval * (seeds[0] == lost.Self ? 2 : 3);
                try { await Task.Delay(pause, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { throw Interrupted(job.RunDir); }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw Interrupted(job.RunDir);
            }
        }
    }

    /// <summary>
    /// Ends an attempt that lost a member, once its ranks stopped: waits for membership to confirm who is gone, stops the
    /// node's actor system (so the next attempt can bind the same address) and returns the loss with the survivors.
    /// </summary>
    public static async Task<JobMemberLostException> EndAttemptAsync(ClusterNode node, JobMemberLostException lost,
        FailureDetectorSettings detector, ILogger log, CancellationToken ct)
    {
        (IReadOnlyList<string> Survivors, IReadOnlyList<string> Lost) members = ([node.Address.ToString()], []);
        try { members = await SurvivingMembers.SettleAsync(node, lost.JobNodes, detector, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { /* interrupted: the restart loop reports it */ }
        // Down itself: the cluster cannot converge on a graceful leave while a member is unreachable (the exiting phase
        // would wait out its timeout), and down-all would down this node anyway.
        node.Cluster.Down(node.Address);
        await node.AbortAsync().ConfigureAwait(false);
        try { await node.System.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false); }
        catch (TimeoutException) { log.LogWarning("Node {Address}: the actor system did not stop within 10s before the restart", node.Address); }
        return lost.WithMembers(node.Address.ToString(), members.Survivors, members.Lost);
    }

    private static JobInterruptedException Interrupted(string runDir) =>
        new($"the node was interrupted while the job restarted. {JobFailureReport.LastCheckpoint(runDir)}");
}
