using System.IO.Pipelines;
using System.Net.Sockets;

namespace ActorTrain.Cluster.Remoting;

/// <summary>A TCP socket with a frame reader (over a <see cref="PipeReader"/>) and a frame writer.</summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _pipeReader;
    private int _disposed;

    public TcpConnection(Socket socket, int maximumFrameSize)
    {
        _socket = socket;
        _socket.NoDelay = true;
        RemoteEndpoint = socket.RemoteEndPoint?.ToString() ?? "(unknown endpoint)";
        _stream = new NetworkStream(socket, ownsSocket: true);
        _pipeReader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        Reader = new FrameReader(_pipeReader, maximumFrameSize, RemoteEndpoint);
        Writer = new FrameWriter(_stream, maximumFrameSize);
    }

    /// <summary>The peer's IP endpoint, for log lines.</summary>
    public string RemoteEndpoint { get; }

    public FrameReader Reader { get; }

    public FrameWriter Writer { get; }

    public static async Task<TcpConnection> ConnectAsync(string host, int port, int maximumFrameSize, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, timeoutSource.Token).ConfigureAwait(false);
            return new TcpConnection(socket, maximumFrameSize);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
        }
        await _pipeReader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}
