namespace ActorTrain.Cluster.Remoting;

/// <summary>A handshake was refused, by this node or by the peer; the message says why and what to change.</summary>
public sealed class HandshakeRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Reason, naming the peer endpoint and the mismatching value.</param>
    /// <param name="rejectedByPeer">True when the peer refused us, false when this node refused the peer.</param>
    public HandshakeRejectedException(string message, bool rejectedByPeer) : base(message) => RejectedByPeer = rejectedByPeer;

    /// <summary>True when the peer refused us, false when this node refused the peer.</summary>
    public bool RejectedByPeer { get; }
}
