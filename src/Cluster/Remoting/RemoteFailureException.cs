namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// A <c>Status.Failure</c> reply that came from another node: the original exception cannot cross the wire, so its
/// type name and message are carried and rethrown as this.
/// </summary>
public sealed class RemoteFailureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteFailureException(string remoteExceptionType, string message)
        : base($"{remoteExceptionType} on the remote node: {message}") => RemoteExceptionType = remoteExceptionType;

    /// <summary>Full type name of the exception thrown on the remote node.</summary>
    public string RemoteExceptionType { get; }
}
