using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// The four-frame handshake that opens every connection:
/// <list type="number">
/// <item>client → server <see cref="FrameKind.Hello"/>: version, system, uid, listening address, client nonce;</item>
/// <item>server → client <see cref="FrameKind.Challenge"/>: the same for the server plus, with a secret,
/// HMAC-SHA256(secret, "server" ‖ nonces ‖ uids ‖ system);</item>
/// <item>client → server <see cref="FrameKind.Proof"/>: with a secret, HMAC-SHA256(secret, "client" ‖ …);</item>
/// <item>server → client <see cref="FrameKind.Accepted"/>.</item>
/// </list>
/// Either side may answer <see cref="FrameKind.Reject"/> with a reason instead. Both sides prove the secret, so
/// neither talks to an impostor, and the nonces make a recorded proof useless for another connection.
/// </summary>
public sealed class HandshakeProtocol
{
    /// <summary>Wire protocol version; peers must match exactly.</summary>
    public const int Version = 1;

    private const int NonceSize = 32;
    private readonly UniqueAddress _self;
    private readonly byte[]? _secretKey;

    /// <summary>Creates the protocol for the local node.</summary>
    /// <param name="self">The local node's address and uid.</param>
    /// <param name="secret">The cluster secret, or null/empty when none is configured.</param>
    public HandshakeProtocol(UniqueAddress self, string? secret)
    {
        if (!self.Address.HasGlobalScope) throw new ArgumentException($"handshake needs a network address, got {self.Address}", nameof(self));
        _self = self;
        _secretKey = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>Runs the client side on a freshly connected stream; returns the server's identity.</summary>
    /// <exception cref="HandshakeRejectedException">Either side refused; the message says why.</exception>
    /// <exception cref="RemotingProtocolException">The server sent something that is not a handshake.</exception>
    public async Task<UniqueAddress> RunClientAsync(FrameReader reader, FrameWriter writer, string peer, CancellationToken cancellationToken)
    {
        byte[] clientNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await writer.WriteFrameAsync(FrameKind.Hello, HandshakeCodec.EncodeHello(LocalHello(clientNonce), []), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        HandshakeHello server;
        byte[] serverProof;
        using (InboundFrame frame = await ExpectAsync(reader, FrameKind.Challenge, peer, cancellationToken).ConfigureAwait(false))
        {
            (server, serverProof) = HandshakeCodec.DecodeHello(frame.Body.Span, peer);
        }

        string? refusal = CheckPeer(server, peer)
            ?? CheckProof(serverProof, "server", clientNonce, server.Nonce, _self.Uid, server.Uid, peer);
        if (refusal is not null)
        {
            await RejectAsync(writer, refusal, cancellationToken).ConfigureAwait(false);
            throw new HandshakeRejectedException(refusal, rejectedByPeer: false);
        }

        byte[] clientProof = _secretKey is null ? [] : ComputeProof("client", clientNonce, server.Nonce, _self.Uid, server.Uid);
        await writer.WriteFrameAsync(FrameKind.Proof, HandshakeCodec.EncodeProof(clientProof), cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        using (await ExpectAsync(reader, FrameKind.Accepted, peer, cancellationToken).ConfigureAwait(false)) { }
        return new UniqueAddress(Address.Network(server.SystemName, server.Host, server.Port), server.Uid);
    }

    /// <summary>Runs the server side on an accepted stream; returns the client's identity.</summary>
    /// <exception cref="HandshakeRejectedException">Either side refused; the message says why.</exception>
    /// <exception cref="RemotingProtocolException">The client sent something that is not a handshake.</exception>
    public async Task<UniqueAddress> RunServerAsync(FrameReader reader, FrameWriter writer, string peer, CancellationToken cancellationToken)
    {
        HandshakeHello client;
        using (InboundFrame frame = await ExpectAsync(reader, FrameKind.Hello, peer, cancellationToken).ConfigureAwait(false))
        {
            (client, _) = HandshakeCodec.DecodeHello(frame.Body.Span, peer);
        }
        string? refusal = CheckPeer(client, peer);
        if (refusal is not null)
        {
            await RejectAsync(writer, refusal, cancellationToken).ConfigureAwait(false);
            throw new HandshakeRejectedException(refusal, rejectedByPeer: false);
        }

        byte[] serverNonce = RandomNumberGenerator.GetBytes(NonceSize);
        byte[] serverProof = _secretKey is null ? [] : ComputeProof("server", client.Nonce, serverNonce, client.Uid, _self.Uid);
        await writer.WriteFrameAsync(FrameKind.Challenge, HandshakeCodec.EncodeHello(LocalHello(serverNonce), serverProof), cancellationToken)
            .ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        byte[] clientProof;
        using (InboundFrame frame = await ExpectAsync(reader, FrameKind.Proof, peer, cancellationToken).ConfigureAwait(false))
        {
            clientProof = HandshakeCodec.DecodeProof(frame.Body.Span, peer);
        }
        refusal = CheckProof(clientProof, "client", client.Nonce, serverNonce, client.Uid, _self.Uid, peer);
        if (refusal is not null)
        {
            await RejectAsync(writer, refusal, cancellationToken).ConfigureAwait(false);
            throw new HandshakeRejectedException(refusal, rejectedByPeer: false);
        }
        await writer.WriteFrameAsync(FrameKind.Accepted, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new UniqueAddress(Address.Network(client.SystemName, client.Host, client.Port), client.Uid);
    }

    private HandshakeHello LocalHello(byte[] nonce) =>
        new(Version, _self.Address.System, _self.Uid, _self.Address.Host!, _self.Address.Port!.Value, nonce);

    private string? CheckPeer(HandshakeHello other, string peer)
    {
        if (other.ProtocolVersion != Version)
            return $"peer {peer} speaks remoting protocol version {other.ProtocolVersion}, this node speaks {Version}; run the same ActorTrain version on every node";
        if (!string.Equals(other.SystemName, _self.Address.System, StringComparison.Ordinal))
            return $"peer {peer} belongs to actor system '{other.SystemName}', this node to '{_self.Address.System}'; every node of a cluster must use the same system name";
        if (other.Nonce.Length != NonceSize)
            return $"peer {peer} sent a {other.Nonce.Length}-byte nonce, expected {NonceSize}";
        return null;
    }

    private string? CheckProof(byte[] proof, string role, byte[] clientNonce, byte[] serverNonce, long clientUid, long serverUid, string peer)
    {
        if (_secretKey is null)
        {
            return proof.Length == 0
                ? null
                : $"peer {peer} requires a cluster secret but this node has none; set actortrain.cluster.secret (or its env var) to the same value on every node";
        }
        if (proof.Length == 0)
            return $"peer {peer} did not present the cluster secret; set actortrain.cluster.secret (or its env var) to the same value on every node";
        byte[] expected = ComputeProof(role, clientNonce, serverNonce, clientUid, serverUid);
        return CryptographicOperations.FixedTimeEquals(expected, proof)
            ? null
            : $"peer {peer} presented a wrong cluster secret (HMAC proof mismatch); check actortrain.cluster.secret on both nodes";
    }

    private byte[] ComputeProof(string role, byte[] clientNonce, byte[] serverNonce, long clientUid, long serverUid)
    {
        byte[] roleBytes = Encoding.ASCII.GetBytes(role);
        byte[] system = Encoding.UTF8.GetBytes(_self.Address.System);
        byte[] data = new byte[roleBytes.Length + clientNonce.Length + serverNonce.Length + 16 + system.Length];
        var span = data.AsSpan();
        roleBytes.CopyTo(span);
        span = span[roleBytes.Length..];
        clientNonce.CopyTo(span);
        span = span[clientNonce.Length..];
        serverNonce.CopyTo(span);
        span = span[serverNonce.Length..];
        BinaryPrimitives.WriteInt64LittleEndian(span, clientUid);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], serverUid);
        system.CopyTo(span[16..]);
        return HMACSHA256.HashData(_secretKey!, data);
    }

    private static async Task RejectAsync(FrameWriter writer, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteFrameAsync(FrameKind.Reject, HandshakeCodec.EncodeReason(reason), cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer may already be gone; the local log line carries the reason anyway.
        }
    }

    private static async Task<InboundFrame> ExpectAsync(FrameReader reader, FrameKind expected, string peer, CancellationToken cancellationToken)
    {
        InboundFrame? frame = await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new RemotingProtocolException($"peer {peer} closed the connection during the handshake (waiting for {expected})");
        if (frame.Kind == expected) return frame;
        using (frame)
        {
            if (frame.Kind == FrameKind.Reject)
                throw new HandshakeRejectedException($"peer {peer} refused the handshake: {HandshakeCodec.DecodeReason(frame.Body.Span)}", rejectedByPeer: true);
            throw new RemotingProtocolException($"peer {peer} sent a {frame.Kind} frame during the handshake, expected {expected}");
        }
    }
}
