namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Identity one side of a handshake announces: what it speaks, who it is and where it listens, plus a fresh nonce
/// for the other side's HMAC proof.
/// </summary>
/// <param name="ProtocolVersion">Wire protocol version (<see cref="HandshakeProtocol.Version"/>).</param>
/// <param name="SystemName">Actor system name; peers of one cluster share it.</param>
/// <param name="Uid">The node's random uid.</param>
/// <param name="Host">Host the node listens on (as other nodes should dial it).</param>
/// <param name="Port">Port the node listens on.</param>
/// <param name="Nonce">Random bytes the peer must include in its proof.</param>
internal sealed record HandshakeHello(int ProtocolVersion, string SystemName, long Uid, string Host, int Port, byte[] Nonce);
