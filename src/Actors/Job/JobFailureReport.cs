using ActorTrain.Actors.Sync;
using Akka.Cluster;
using ActorTrain.Model.Checkpoints;

namespace ActorTrain.Actors.Job;

/// <summary>Words for a failed job: which node and ranks are gone, and where to resume from.</summary>
internal static class JobFailureReport
{
    /// <summary>"node akka.tcp://…:2553 (node rank 1, ranks 2, 3)".</summary>
    public static string DescribeNode(RendezvousTable table, string nodeAddress)
    {
        var ranks = table.Ranks.Where(r => r.NodeAddress == nodeAddress).Select(r => r.Index).ToList();
        if (ranks.Count == 0) return $"node {nodeAddress}";
        int nodeRank = table.Ranks[ranks[0]].NodeRank;
        return $"node {nodeAddress} (node rank {nodeRank}, {(ranks.Count == 1 ? "rank" : "ranks")} {string.Join(", ", ranks)})";
    }

    /// <summary>Why a rank's run failed, naming the node of the rank (or shard) held responsible when known.</summary>
    public static string DescribeRankFailure(RendezvousTable table, int localRank, Exception error)
    {
        var collective = Find<CollectiveFailedException>(error);
        if (collective is null)
        {
            var root = error is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : error;
            return $"rank {localRank} failed: {root.Message}";
        }
        string? culprit = null;
        if (collective.FailedRank is int failed && failed >= 0 && failed < table.Ranks.Length && failed != localRank)
            culprit = $"rank {failed} on {DescribeNode(table, table.Ranks[failed].NodeAddress)}";
        else if (collective.FailedPeer is { } peer && peer.StartsWith("parameter-server shard ", StringComparison.Ordinal)
                 && int.TryParse(peer.AsSpan("parameter-server shard ".Length).ToString().Split(' ')[0], out int shard)
                 && shard >= 0 && shard < table.Shards.Length)
            culprit = $"parameter-server shard {shard} on {DescribeNode(table, table.Shards[shard].NodeAddress)}";
        return culprit is null
            ? collective.Message
            : $"{culprit} failed: {collective.Reason} (seen by rank {localRank} in {collective.Operation})";
    }

    /// <summary>"node … is UNREACHABLE: no heartbeats from it for 4.2s".</summary>
    /// <param name="table">The job's rendezvous table.</param>
    /// <param name="e">The membership event.</param>
    /// <param name="silence">How long the node has been silent (from the failure detector), when known.</param>
    public static string DescribeMembershipFailure(RendezvousTable table, ClusterEvent.IClusterDomainEvent e, TimeSpan? silence = null) => e switch
    {
        ClusterEvent.UnreachableMember u => $"{DescribeNode(table, u.Member.Address.ToString())} is UNREACHABLE: no heartbeats from it" +
            (silence is { } s ? $" for {s.TotalSeconds:0.0}s" : ""),
        ClusterEvent.MemberDowned d => $"{DescribeNode(table, d.Member.Address.ToString())} was marked DOWN",
        ClusterEvent.MemberRemoved r => $"{DescribeNode(table, r.Member.Address.ToString())} was removed from the cluster (was {r.PreviousStatus})",
        _ => e.ToString() ?? "membership changed",
    };

    /// <summary>"Last checkpoint: runs/x/step-000040 (step 40); resume with …", or that none was written.</summary>
    public static string LastCheckpoint(string runDirectory)
    {
        long? step;
        try { step = new CheckpointStore(runDirectory).LatestStep(); }
        catch (IOException) { step = null; }
        catch (UnauthorizedAccessException) { step = null; }
        if (step is not { } s)
            return $"No checkpoint was written to {runDirectory} yet; the job has to start from scratch.";
        string directory = new CheckpointStore(runDirectory).DirectoryOf(s);
        return $"Last checkpoint: {directory} (step {s}); resume with --set actortrain.train.resume=latest.";
    }

    private static T? Find<T>(Exception? error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
            if (e is AggregateException agg)
                foreach (var inner in agg.InnerExceptions)
                    if (Find<T>(inner) is { } nested) return nested;
        }
        return null;
    }
}
