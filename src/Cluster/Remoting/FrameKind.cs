namespace ActorTrain.Cluster.Remoting;

/// <summary>The kind byte that follows every frame's length prefix.</summary>
public enum FrameKind : byte
{
    /// <summary>Handshake step 1, client to server: identity and the client's nonce.</summary>
    Hello = 1,

    /// <summary>Handshake step 2, server to client: identity, the server's nonce and, with a secret, the server's proof.</summary>
    Challenge = 2,

    /// <summary>Handshake step 3, client to server: the client's proof (empty without a secret).</summary>
    Proof = 3,

    /// <summary>Handshake step 4, server to client: the connection may carry messages now.</summary>
    Accepted = 4,

    /// <summary>Either side refuses the handshake; the body is a UTF-8 reason.</summary>
    Reject = 5,

    /// <summary>An application message (a serialized envelope).</summary>
    Message = 16,
}
