using ActorTrain.Actors.Sync;
using ActorTrain.Actors.Training;
using ActorTrain.Cluster.Node;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Job;

// A job node's supervision of its running ranks: membership, failures, and the result at the end (JobNode.cs starts them).
public static partial class JobNode
{
    private sealed partial class Run
    {
        private async Task<JobNodeResult> SuperviseAsync(CancellationToken ct)
        {
            var table = _table!;
            var failure = new TaskCompletionSource<(string Reason, Exception? Error)>(TaskCreationOptions.RunContinuationsAsynchronously);
            for (int local = 0; local < _ranks.Length; local++)
            {
                int rank = _nodeRank * _job.NprocPerNode + local;
                _ = _ranks[local].ContinueWith(t =>
                {
                    if (t.IsFaulted) failure.TrySetResult((JobFailureReport.DescribeRankFailure(table, rank, t.Exception!), t.Exception));
                    else if (t.IsCanceled) failure.TrySetResult(($"rank {rank} was cancelled", null));
                }, TaskScheduler.Default);
            }
            var allDone = Task.WhenAll(_ranks);
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watch = WatchMembershipAsync(table, failure, stopWatching.Token);
            using (ct.Register(() => failure.TrySetResult((InterruptedReason, null))))
                await Task.WhenAny(allDone, failure.Task).ConfigureAwait(false);
            await stopWatching.CancelAsync().ConfigureAwait(false);
            try { await watch.ConfigureAwait(false); } catch (OperationCanceledException) { }

            if (allDone.IsCompletedSuccessfully && !failure.Task.IsCompleted)
                return await FinishAsync(allDone.Result).ConfigureAwait(false);

            var (reason, _) = await failure.Task.ConfigureAwait(false);
            bool interrupted = ReferenceEquals(reason, InterruptedReason);
            // Interrupted: the ranks agree on a last step over their still-working group and rank 0 checkpoints.
            // Failed: abort the links first, so that no rank stays blocked on a dead or frozen peer.
            await StopAsync(abortReason: interrupted ? null : reason).ConfigureAwait(false);
            if (interrupted)
            {
                string stopped = $"node {Self} (node rank {_nodeRank}) stopped on request. {JobFailureReport.LastCheckpoint(_job.RunDir)}";
                log.LogInformation("{Message}", stopped);
                throw new JobInterruptedException(stopped);
            }
            string message = $"job failed on node {Self} (node rank {_nodeRank}): {reason}. {JobFailureReport.LastCheckpoint(_job.RunDir)}";
            if (Attempt is null) log.LogError("{Message}", message);
            // The message names the cause; the sync layer logged the collective's own details.
            throw new JobMemberLostException(message, reason, _restart?.Attempt ?? 0,
                [.. table.Ranks.Select(r => r.NodeAddress).Concat(table.Shards.Select(s => s.NodeAddress)).Distinct()]);
        }

        private const string InterruptedReason = "the node was interrupted (Ctrl-C / SIGTERM, or its parent process ended)";

        private async Task WatchMembershipAsync(RendezvousTable table, TaskCompletionSource<(string, Exception?)> failure, CancellationToken ct)
        {
            var jobNodes = table.Ranks.Select(r => r.NodeAddress).Concat(table.Shards.Select(s => s.NodeAddress)).ToHashSet(StringComparer.Ordinal);
            await foreach (var message in _events.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                switch (message)
                {
                    // Training is synchronous: a job node that stops answering heartbeats stalls every step, so the job
                    // stops at once rather than waiting for the split-brain resolver to down it. A member that finished
                    // and is leaving (Leaving/Exiting) is not a failure.
                    case ClusterEvent.UnreachableMember { Member.Status: MemberStatus.Up } u when jobNodes.Contains(u.Member.Address.ToString()):
                    {
                        var silence = TimedFailureDetector.SilenceOfTheUnavailableNode();
                        string reason = JobFailureReport.DescribeMembershipFailure(table, u, silence);
                        log.LogWarning("{Reason}; stopping the job", reason);
                        failure.TrySetResult((reason, null));
                        break;
                    }
                    case ClusterEvent.MemberDowned d when jobNodes.Contains(d.Member.Address.ToString()):
                        failure.TrySetResult((JobFailureReport.DescribeMembershipFailure(table, d), null));
                        break;
                    case ClusterEvent.MemberRemoved { PreviousStatus: MemberStatus.Down } r when jobNodes.Contains(r.Member.Address.ToString()):
                        failure.TrySetResult((JobFailureReport.DescribeMembershipFailure(table, r), null));
                        break;
                }
            }
        }

        private async Task<JobNodeResult> FinishAsync(TrainingOutcome[] outcomes)
        {
            foreach (var sync in _syncs) await sync.DisposeAsync().ConfigureAwait(false);
            _syncs.Clear();
            if (_shardCompletions.Count > 0)
            {
                // Shards serve ranks of other nodes too: stay until every rank has left them.
                try { await Task.WhenAll(_shardCompletions).WaitAsync(ShardDrainTimeout).ConfigureAwait(false); }
                catch (Exception ex) { log.LogWarning("Parameter-server shards of node {Address} did not end cleanly: {Reason}", Self, ex.Message); }
            }
            await StopAsync().ConfigureAwait(false);
            for (int local = 0; local < outcomes.Length; local++)
                log.LogInformation("rank {Rank} final parameter checksum {Checksum} after step {Step}",
                    _nodeRank * _job.NprocPerNode + local, ParameterChecksum.Format(outcomes[local].FinalChecksum), outcomes[local].Steps);
            var last = outcomes.Select(o => o.LastCheckpoint).LastOrDefault(c => c is not null);
            log.LogInformation("Node {Address} (node rank {NodeRank}): job finished after {Steps} steps{Checkpoint}; leaving the cluster",
                Self, _nodeRank, outcomes.Length > 0 ? outcomes[0].Steps : 0, last is null ? "" : $", last checkpoint {last}");
            return new JobNodeResult(Self, _nodeRank, outcomes);
        }
    }
}
