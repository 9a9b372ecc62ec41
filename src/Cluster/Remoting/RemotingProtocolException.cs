namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// The peer broke the wire protocol (oversized, truncated or malformed frame, unknown kind, bad envelope).
/// The transport closes that one connection and logs <see cref="Exception.Message"/>; the node keeps serving.
/// </summary>
public sealed class RemotingProtocolException : Exception
{
    /// <summary>Creates the exception with a reason an operator can act on.</summary>
    public RemotingProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a reason and the underlying cause.</summary>
    public RemotingProtocolException(string message, Exception inner) : base(message, inner) { }
}
