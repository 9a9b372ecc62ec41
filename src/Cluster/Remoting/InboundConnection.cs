using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// One accepted connection: server-side handshake (bounded by the handshake timeout), then a read loop that
/// hands message frames to the transport's handler in arrival order. Any protocol violation closes this
/// connection only, with a warning naming the remote endpoint and the reason.
/// </summary>
internal sealed class InboundConnection(TcpConnection connection, RemoteTransport transport)
{
    public async Task RunAsync()
    {
        ILogger logger = transport.Logger;
        CancellationToken shutdown = transport.ShutdownToken;
        string endpoint = connection.RemoteEndpoint;
        UniqueAddress? peer = null;
        bool handshaking = true;
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
            {
                timeout.CancelAfter(transport.Options.HandshakeTimeout);
                try
                {
                    peer = await transport.Handshake.RunServerAsync(connection.Reader, connection.Writer, endpoint, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
                {
                    throw new RemotingProtocolException(
                        $"handshake from {endpoint} did not finish within {transport.Options.HandshakeTimeout.TotalSeconds:F1} s");
                }
            }
            handshaking = false;
            transport.HandshakeFinished();
            logger.LogDebug("Inbound connection from {Endpoint} authenticated as {Peer}", endpoint, peer);

            IInboundMessageHandler handler = transport.Handler;
            while (true)
            {
                InboundFrame? frame = await connection.Reader.ReadFrameAsync(shutdown).ConfigureAwait(false);
                if (frame is null) break;
                using (frame)
                {
                    if (frame.Kind != FrameKind.Message)
                        throw new RemotingProtocolException($"{peer} ({endpoint}) sent a {frame.Kind} frame after the handshake");
                    handler.OnMessage(peer, frame);
                }
            }
            logger.LogDebug("Inbound connection from {Peer} ({Endpoint}) closed by the peer", peer, endpoint);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (HandshakeRejectedException e)
        {
            transport.ConnectionRejected();
            logger.LogWarning("Refused inbound connection from {Endpoint}: {Reason}", endpoint, e.Message);
        }
        catch (RemotingProtocolException e)
        {
            transport.ConnectionRejected();
            logger.LogWarning("Closing inbound connection from {Endpoint}{Peer}: {Reason}", endpoint,
                peer is null ? "" : $" ({peer})", e.Message);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            logger.LogDebug("Inbound connection from {Endpoint} failed: {Reason}", endpoint, e.Message);
        }
        catch (Exception e)
        {
            // A handler bug must not take the listener down; report it loudly and drop this connection.
            transport.ConnectionRejected();
            logger.LogError(e, "Closing inbound connection from {Endpoint}: message handler failed", endpoint);
        }
        finally
        {
            if (handshaking) transport.HandshakeFinished();
            await CloseAsync().ConfigureAwait(false);
            transport.ConnectionClosed(this);
        }
    }

    public ValueTask CloseAsync() => connection.DisposeAsync();
}
