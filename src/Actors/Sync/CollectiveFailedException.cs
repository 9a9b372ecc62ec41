namespace ActorTrain.Actors.Sync;

/// <summary>
/// A collective could not complete: a peer died or left, disagreed about the call, or the collective timed out or
/// was cancelled. The group is unusable afterwards; restart the job (from the last checkpoint).
/// </summary>
public sealed class CollectiveFailedException : Exception
{
    /// <summary>Creates the exception; the message names the local rank, the failed peer and the reason.</summary>
    public CollectiveFailedException(string operation, int localRank, int? failedRank, string? failedPeer, string reason, Exception? inner = null)
        : base(Compose(operation, localRank, failedPeer, reason), inner)
    {
        Operation = operation;
        LocalRank = localRank;
        FailedRank = failedRank;
        FailedPeer = failedPeer;
        Reason = reason;
    }

    /// <summary>The collective that failed (e.g. "all-reduce #12 of 4096 floats").</summary>
    public string Operation { get; }

    /// <summary>The rank that observed the failure (−1: a parameter-server shard).</summary>
    public int LocalRank { get; }

    /// <summary>The rank held responsible (dead, disagreeing), or null when it is not a rank (a parameter server, a timeout).</summary>
    public int? FailedRank { get; }

    /// <summary>The responsible peer in words: rank or parameter-server shard, endpoint and machine; null when unknown.</summary>
    public string? FailedPeer { get; }

    /// <summary>What went wrong, without the prefix.</summary>
    public string Reason { get; }

    /// <summary>The same failure as seen by another operation (keeps peer and reason, adds the operation).</summary>
    internal CollectiveFailedException ForOperation(string operation) =>
        new(operation, LocalRank, FailedRank, FailedPeer, Reason, this);

    private static string Compose(string operation, int localRank, string? failedPeer, string reason)
    {
        string who = failedPeer is null ? "" : $"{failedPeer}: ";
        string observer = localRank >= 0 ? $"rank {localRank}" : "the parameter server";
        return $"{operation} failed on {observer}: {who}{reason}. The sync group is unusable; restart the job from its last checkpoint.";
    }
}
