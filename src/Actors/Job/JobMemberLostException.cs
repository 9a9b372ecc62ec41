namespace ActorTrain.Actors.Job;

/// <summary>
/// A running job lost a member (a node died, froze or was cut off, or a rank's collective failed). A job without
/// restarts reports it like any <see cref="JobFailedException"/>; an elastic one (<see cref="ElasticJobNode"/>) restarts
/// from the last complete checkpoint with the <see cref="Survivors"/>.
/// </summary>
public sealed class JobMemberLostException : JobFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The whole message for the user (node, ranks, last checkpoint).</param>
    /// <param name="cause">What went wrong, in words (names the lost node when known).</param>
    /// <param name="attempt">Restarts of the job so far when the loss happened.</param>
    /// <param name="jobNodes">Cluster addresses of every node of the attempt.</param>
    public JobMemberLostException(string message, string cause, int attempt, IReadOnlyList<string> jobNodes) : base(message)
    {
        Cause = cause;
        Attempt = attempt;
        JobNodes = jobNodes;
    }

    /// <summary>What went wrong, in words.</summary>
    public string Cause { get; }

    /// <summary>Restarts of the job so far when the loss happened.</summary>
    public int Attempt { get; }

    /// <summary>Cluster addresses of every node of the attempt.</summary>
    public IReadOnlyList<string> JobNodes { get; }

    /// <summary>The job's nodes that this node still saw Up and reachable once membership settled (itself included).</summary>
    public IReadOnlyList<string> Survivors { get; private init; } = [];

    /// <summary>The job's nodes that this node saw unreachable, down or removed.</summary>
    public IReadOnlyList<string> Lost { get; private init; } = [];

    /// <summary>This node's cluster address (set with the members).</summary>
    public string Self { get; private init; } = "";

    /// <summary>A copy with the membership that <paramref name="self"/> saw after the loss settled.</summary>
    public JobMemberLostException WithMembers(string self, IReadOnlyList<string> survivors, IReadOnlyList<string> lost) =>
        new(Message, Cause, Attempt, JobNodes) { Self = self, Survivors = survivors, Lost = lost };
}
