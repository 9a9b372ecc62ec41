namespace ActorTrain.Actors.Sync;

/// <summary>
/// Runs one collective at a time as a send job and a receive job on two dedicated threads, with the group's
/// timeout and cancellation. Any error, timeout or cancellation latches a group failure (which aborts the links so
/// the other job stops too); the call returns only after both jobs have stopped touching the caller's buffer.
/// </summary>
internal sealed class CollectiveRunner : IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    private readonly int _rank;
    private readonly GradientSyncOptions _options;
    private readonly FailureLatch _latch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CollectiveWorker _sender;
    private readonly CollectiveWorker _receiver;

    public CollectiveRunner(int rank, string name, GradientSyncOptions options, FailureLatch latch)
    {
        _rank = rank;
        _options = options;
        _latch = latch;
        _sender = new CollectiveWorker($"{name} send");
        _receiver = new CollectiveWorker($"{name} receive");
    }

    /// <summary>Runs <paramref name="send"/> and <paramref name="receive"/> (either may be null) as one collective.</summary>
    public async Task RunAsync(Func<string> describe, Action? send, Action? receive, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        string operation = describe();
        try
        {
            if (_latch.Departure is { } departed) _latch.Fail(departed);
            if (_latch.Failure is { } earlier) throw earlier.ForOperation(operation);
            Task all = Task.WhenAll(Start(_sender, send, operation), Start(_receiver, receive, operation));
            try
            {
                await all.WaitAsync(_options.CollectiveTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _latch.Fail(new CollectiveFailedException(operation, _rank, null, null,
                    $"no progress within {_options.CollectiveTimeout.TotalSeconds:0.#} s (setting collective-timeout): a peer is stalled or never made this call"));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _latch.Fail(new CollectiveFailedException(operation, _rank, null, null, "it was cancelled by the caller on this rank"));
            }
            catch (Exception)
            {
                // A job failed; it has latched the group failure already (see Start).
            }
            if (!all.IsCompleted)
            {
                try { await all.WaitAsync(StopGrace).ConfigureAwait(false); }
                catch (Exception) { }
            }
            if (_latch.Failure is { } failure) throw failure.ForOperation(operation);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _gate.Dispose();
    }

    private Task Start(CollectiveWorker worker, Action? job, string operation)
    {
        if (job is null) return Task.CompletedTask;
        return worker.Run(() =>
        {
            try { job(); }
            catch (Exception ex)
            {
                _latch.OnWorkerError(ex, operation);
                throw;
            }
        });
    }
}
