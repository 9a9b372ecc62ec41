namespace ActorTrain.Actors.Job;

/// <summary>
/// The job could not start or stopped before it finished: a node or rank died, the cluster did not form within
/// <c>job.join-timeout</c>, a rank's training failed. The message names the node(s), rank(s) and the last
/// checkpoint to resume from; it is meant for the user as it stands.
/// </summary>
public class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobFailedException(string message, Exception? inner = null) : base(message, inner) { }
}
