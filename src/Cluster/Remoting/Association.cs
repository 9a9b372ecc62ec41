using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using ActorTrain.Cluster.Kernel;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// The single outbound connection to one remote address. One writer loop drains a bounded queue, so messages
/// leave in the order they were queued (hence ordered per sender/recipient pair). The loop connects lazily,
/// reconnects with exponential backoff, and sends queued messages to dead letters once the address has been
/// unreachable for <see cref="TransportOptions.DropUnreachableAfter"/>.
/// </summary>
internal sealed class Association
{
    private const int FlushThreshold = 256 * 1024;
    private readonly Address _remote;
    private readonly TransportOptions _options;
    private readonly HandshakeProtocol _handshake;
    private readonly DeadLetterHandler _deadLetters;
    private readonly ILogger _logger;
    private readonly Channel<OutboundMessage> _queue;
    private readonly CancellationToken _shutdown;
    private readonly List<OutboundMessage> _batch = [];
    private UniqueAddress? _peer;

    public Association(Address remote, TransportOptions options, HandshakeProtocol handshake, DeadLetterHandler deadLetters,
        ILogger logger, CancellationToken shutdown)
    {
        _remote = remote;
        _options = options;
        _handshake = handshake;
        _deadLetters = deadLetters;
        _logger = logger;
        _shutdown = shutdown;
        _queue = Channel.CreateBounded<OutboundMessage>(
            new BoundedChannelOptions(options.OutboundQueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            },
            dropped => Drop(dropped, $"the outbound queue to {_remote} is full ({_options.OutboundQueueCapacity} messages)"));
        Loop = Task.Run(RunAsync);
    }

    /// <summary>The remote node's identity from the last successful handshake, or null before one.</summary>
    public UniqueAddress? Peer => Volatile.Read(ref _peer);

    /// <summary>The writer loop; finishes after shutdown.</summary>
    public Task Loop { get; }

    /// <summary>Queues a message; false (and a dead letter) when the transport is shutting down.</summary>
    public bool Enqueue(OutboundMessage message)
    {
        if (_queue.Writer.TryWrite(message)) return true;
        Drop(message, "the remoting transport is shutting down");
        return false;
    }

    private async Task RunAsync()
    {
        int failures = 0;
        long unreachableSince = 0;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_shutdown).ConfigureAwait(false))
            {
                TcpConnection? connection = await TryConnectAsync(failures).ConfigureAwait(false);
                if (connection is null)
                {
                    failures++;
                    if (failures == 1) unreachableSince = Stopwatch.GetTimestamp();
                    TimeSpan down = Stopwatch.GetElapsedTime(unreachableSince);
                    if (down >= _options.DropUnreachableAfter)
                        DrainToDeadLetters($"{_remote} has been unreachable for {down.TotalSeconds:F1} s");
                    await Task.Delay(ReconnectBackoff.Delay(failures, _options.ReconnectBackoffMin, _options.ReconnectBackoffMax), _shutdown)
                        .ConfigureAwait(false);
                    continue;
                }
                if (failures > 0) _logger.LogInformation("Association to {Remote} re-established after {Failures} failed attempts", _remote, failures);
                failures = 0;
                await using (connection.ConfigureAwait(false))
                {
                    await PumpAsync(connection).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
        }
        _queue.Writer.TryComplete();
        DrainToDeadLetters("the remoting transport shut down");
    }

    private async Task<TcpConnection?> TryConnectAsync(int failures)
    {
        TcpConnection? connection = null;
        try
        {
            connection = await TcpConnection.ConnectAsync(_remote.Host!, _remote.Port!.Value, _options.MaximumFrameSize,
                _options.ConnectTimeout, _shutdown).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_shutdown);
            timeout.CancelAfter(_options.HandshakeTimeout);
            UniqueAddress peer;
            try
            {
                peer = await _handshake.RunClientAsync(connection.Reader, connection.Writer, _remote.ToString(), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_shutdown.IsCancellationRequested)
            {
                throw new TimeoutException($"handshake with {_remote} did not finish within {_options.HandshakeTimeout.TotalSeconds:F1} s");
            }
            if (!peer.Address.Equals(_remote))
            {
                _logger.LogWarning("Node dialled as {Remote} calls itself {Actual}; check actortrain.remote.public-hostname on that node", _remote, peer.Address);
            }
            UniqueAddress? previous = Interlocked.Exchange(ref _peer, peer);
            if (previous is not null && previous.Uid != peer.Uid)
                _logger.LogInformation("{Remote} restarted: uid {Old} is now {New}", _remote, previous.Uid, peer.Uid);
            _logger.LogDebug("Associated with {Peer}", peer);
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or RemotingProtocolException or HandshakeRejectedException)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            LogLevel level = e is HandshakeRejectedException || failures == 0 ? LogLevel.Warning : LogLevel.Debug;
            _logger.Log(level, "Cannot associate with {Remote} (attempt {Attempt}): {Reason}", _remote, failures + 1, e.Message);
            return null;
        }
    }

    private async Task PumpAsync(TcpConnection connection)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(_shutdown);
        Task watcher = WatchForCloseAsync(connection, lost);
        ChannelReader<OutboundMessage> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(lost.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out OutboundMessage? message))
                {
                    _batch.Add(message);
                    await connection.Writer.WriteFrameAsync(FrameKind.Message, message.Head, message.Tail, lost.Token).ConfigureAwait(false);
                    if (connection.Writer.UnflushedBytes >= FlushThreshold || !message.Tail.IsEmpty) await FlushBatchAsync(connection, lost.Token).ConfigureAwait(false);
                }
                await FlushBatchAsync(connection, lost.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !_shutdown.IsCancellationRequested)
        {
            string reason = e is OperationCanceledException ? "the peer closed the connection" : e.Message;
            _logger.LogWarning("Association to {Remote} lost: {Reason}; {Count} unflushed messages dropped, reconnecting", _remote, reason, _batch.Count);
        }
        finally
        {
            foreach (OutboundMessage message in _batch) Drop(message, $"the connection to {_remote} closed while the message was being sent");
            _batch.Clear();
            await lost.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
        }
    }

    private async ValueTask FlushBatchAsync(TcpConnection connection, CancellationToken cancellationToken)
    {
        await connection.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        foreach (OutboundMessage message in _batch) message.Complete(written: true);
        _batch.Clear();
    }

    /// <summary>The server sends nothing after the handshake; any read result means the connection is over.</summary>
    private async Task WatchForCloseAsync(TcpConnection connection, CancellationTokenSource lost)
    {
        try
        {
            using InboundFrame? frame = await connection.Reader.ReadFrameAsync(lost.Token).ConfigureAwait(false);
            if (frame is not null) _logger.LogWarning("{Remote} sent an unexpected {Kind} frame on an outbound connection; reconnecting", _remote, frame.Kind);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or SocketException or RemotingProtocolException or ObjectDisposedException)
        {
            _logger.LogDebug("Outbound connection to {Remote} closed: {Reason}", _remote, e.Message);
        }
        await lost.CancelAsync().ConfigureAwait(false);
    }

    private void DrainToDeadLetters(string reason)
    {
        int count = 0;
        while (_queue.Reader.TryRead(out OutboundMessage? message))
        {
            Drop(message, reason);
            count++;
        }
        if (count > 0) _logger.LogWarning("Dropped {Count} messages to {Remote} to dead letters: {Reason}", count, _remote, reason);
    }

    private void Drop(OutboundMessage message, string reason)
    {
        message.Complete(written: false);
        _deadLetters(message, _remote, reason);
    }
}
