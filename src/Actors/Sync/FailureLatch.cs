using ActorTrain.Actors.Sync.Transport;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync;

/// <summary>
/// The first failure of a sync group member, kept for good. Latching aborts every link (so blocked transfers end at
/// once) and forwards an abort notice naming the responsible peer to every neighbour, which forward it in turn: the
/// whole group learns the real cause instead of blaming the neighbour that merely closed its connections.
/// </summary>
internal sealed class FailureLatch : IDisposable
{
    private readonly int _localRank;
    private readonly GradientSyncOptions _options;
    private readonly CancellationTokenSource _aborted = new();
    private readonly ManualResetEventSlim _failedEvent = new(false);
    private readonly List<PeerLink> _links = [];
    private CollectiveFailedException? _failure;
    private CollectiveFailedException? _departure;
    private volatile bool _closing;

    private readonly Action<PeerLink>? _onDeparture;

    public FailureLatch(int localRank, GradientSyncOptions options, Action<PeerLink>? onDeparture = null)
    {
        _onDeparture = onDeparture;
        _localRank = localRank;
        _options = options;
    }

    /// <summary>The latched failure, or null.</summary>
    public CollectiveFailedException? Failure => Volatile.Read(ref _failure);

    /// <summary>
    /// A peer that said goodbye. Not latched at once: its last data may still be in flight to a collective that can
    /// complete. It becomes the failure when a transfer breaks or the next collective starts.
    /// </summary>
    public CollectiveFailedException? Departure => Volatile.Read(ref _departure);

    /// <summary>Cancelled when the group fails: waits between transfers observe it.</summary>
    public CancellationToken AbortToken => _aborted.Token;

    /// <summary>Registers a link to abort and notify on failure, and starts watching its side connection.</summary>
    public void Watch(PeerLink link)
    {
        lock (_links) _links.Add(link);
        link.StartSideReader(OnSideMessage);
    }

    /// <summary>Marks an orderly shutdown: goodbyes and lost connections from now on are not failures.</summary>
    public void BeginClose() => _closing = true;

    /// <summary>
    /// Latches <paramref name="failure"/> unless one is latched already; returns whether this one won.
    /// <paramref name="orderlyEnd"/> marks the group ending because its members left in order (a parameter-server
    /// shard after the job's last collective): logged as information, not as an error.
    /// </summary>
    public bool Fail(CollectiveFailedException failure, bool notifyPeers = true, bool orderlyEnd = false)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is not null) return false;
        if (orderlyEnd)
            _options.Logger?.LogInformation("Sync group on {Member} closed: {Peer} left after the last collective", _localRank < 0 ? "the parameter server" : $"rank {_localRank}", failure.FailedPeer);
        else if (_closing)
            _options.Logger?.LogWarning("Sync group closed on rank {Rank} with a collective in flight: {Message}", _localRank, failure.Message);
        else
            _options.Logger?.LogError("Sync group failed on rank {Rank}: {Message}", _localRank, failure.Message);
        PeerLink[] links;
        lock (_links) links = [.. _links];
        if (notifyPeers)
            foreach (var link in links) link.SendAbortNotice(failure);
        // Waits between transfers first, then every link: nothing here may wait for a worker thread.
        _failedEvent.Set();
        _aborted.Cancel();
        foreach (var link in links) link.Abort();
        return true;
    }

    /// <summary>Latches an abort asked for by the owner (see <see cref="IGradientSync.Abort"/>); returns whether it won.</summary>
    public bool Abort(string reason, int? failedRank, string? failedPeer) =>
        Fail(new CollectiveFailedException("sync group", _localRank, failedRank, failedPeer, reason));

    /// <summary>
    /// A transfer on a worker thread threw. Link breakage waits briefly for the side connection's verdict (the real
    /// cause may be further around the ring); protocol disagreements and other errors are latched at once.
    /// </summary>
    public void OnWorkerError(Exception error, string operation)
    {
        if (Failure is not null) return;
        if (Departure is { } departed && error is PeerLinkBrokenException { IsProtocolError: false })
        {
            Fail(departed);
            return;
        }
        switch (error)
        {
            case PeerLinkBrokenException { IsProtocolError: true } mismatch:
                Fail(new CollectiveFailedException(operation, _localRank, mismatch.Link.PeerRank, mismatch.Link.PeerName,
                    mismatch.InnerException!.Message, mismatch));
                break;
            case PeerLinkBrokenException broken:
                _failedEvent.Wait(_options.FailureAttributionGrace);
                Fail(new CollectiveFailedException(operation, _localRank, broken.Link.PeerRank, broken.Link.PeerName,
                    $"its connection broke ({broken.InnerException!.Message})", broken));
                break;
            case OperationCanceledException when Failure is not null:
                break;
            default:
                Fail(new CollectiveFailedException(operation, _localRank, null, null, $"unexpected error: {error.Message}", error));
                break;
        }
    }

    public void Dispose()
    {
        _aborted.Dispose();
        _failedEvent.Dispose();
    }

    private void OnSideMessage(PeerLink link, SideMessage message)
    {
        if (_closing && message.Kind != SideMessageKind.Abort) return;
        string operation = "sync group";
        if (message.Kind == SideMessageKind.Goodbye)
        {
            // Everyone gets their own goodbye from the leaver, so nothing is forwarded.
            Interlocked.CompareExchange(ref _departure,
                new CollectiveFailedException(operation, _localRank, link.PeerRank, link.PeerName, "it left the group (disposed its sync)"), null);
            _onDeparture?.Invoke(link);
            return;
        }
        var failure = message.Kind switch
        {
            SideMessageKind.Abort => new CollectiveFailedException(operation, _localRank, message.FailedRank, message.FailedPeer,
                $"{message.Reason} (reported via {link.PeerName})"),
            _ => new CollectiveFailedException(operation, _localRank, link.PeerRank, link.PeerName, message.Reason),
        };
        Fail(failure);
    }
}
