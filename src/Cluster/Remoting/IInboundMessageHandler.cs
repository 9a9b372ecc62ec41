namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Receives every <see cref="FrameKind.Message"/> frame of an authenticated inbound connection, one at a time per
/// connection and in arrival order. Throwing <see cref="RemotingProtocolException"/> (unknown type id, malformed
/// envelope) closes that connection with the exception's message logged.
/// </summary>
public interface IInboundMessageHandler
{
    /// <summary>Handles one frame. The transport disposes <paramref name="frame"/> afterwards unless its body was detached.</summary>
    /// <param name="from">The sending node, as proven in the handshake.</param>
    /// <param name="frame">The frame; its body is valid during the call.</param>
    void OnMessage(UniqueAddress from, InboundFrame frame);
}
