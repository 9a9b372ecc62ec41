namespace ActorTrain.Actors.Sync;

/// <summary>
/// Runs one collective at a time as a send job and a receive job on two dedicated threads, with the group's
/// timeout and cancellation. Any error, timeout or cancellation latches a group failure (which aborts the links so
/// the other job stops too); the call returns only after both jobs have stopped touching the caller's buffer.
/// </summary>
internal sealed class CollectiveRunner
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>How long closing waits for the worker threads once the links are aborted (they end within milliseconds).</summary>
    public static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(10);

    private readonly int _rank;
    private readonly GradientSyncOptions _options;
    private readonly FailureLatch _latch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CollectiveWorker _sender;
    private readonly CollectiveWorker _receiver;
    private int _calls;

    public CollectiveRunner(int rank, string name, GradientSyncOptions options, FailureLatch latch)
    {
        _rank = rank;
        _options = options;
        _latch = latch;
        _sender = new CollectiveWorker($"{name} send");
        _receiver = new CollectiveWorker($"{name} receive");
    }

    /// <summary>Whether a collective is running or queued.</summary>
    public bool IsBusy => Volatile.Read(ref _calls) > 0;

    /// <summary>Whether both worker threads have ended (after <see cref="Stop"/>).</summary>
    public bool HasStopped => _sender.HasStopped && _receiver.HasStopped;

    /// <summary>Runs <paramref name="send"/> and <paramref name="receive"/> (either may be null) as one collective.</summary>
    public async Task RunAsync(Func<string> describe, Action? send, Action? receive, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _calls);
            throw;
        }
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
            Interlocked.Decrement(ref _calls);
        }
    }

    /// <summary>
    /// Ends both worker threads, waiting at most <see cref="JoinBound"/> for each. Call after the links are aborted
    /// (or idle). Returns false when a thread is still running: its buffers and mappings must then be left alone.
    /// </summary>
    public bool Stop()
    {
        bool sender = _sender.Stop(JoinBound);
        bool receiver = _receiver.Stop(JoinBound);
        return sender && receiver;
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
