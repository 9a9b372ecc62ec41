namespace ActorTrain.Actors.Job;

/// <summary>
/// The node was asked to stop (Ctrl-C, SIGTERM, its parent ended) and did: the ranks agreed on a last step, rank 0
/// wrote its checkpoint, the node left the cluster. Not an error; the message names the checkpoint to resume from.
/// </summary>
public sealed class JobInterruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobInterruptedException(string message) : base(message) { }
}
