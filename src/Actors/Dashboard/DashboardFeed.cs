namespace ActorTrain.Actors.Dashboard;

/// <summary>
/// The latest dashboard document and a way to wait for the next one: written by <see cref="DashboardActor"/>, read by
/// every open page's server-sent-event stream (<see cref="DashboardServer"/>).
/// </summary>
public sealed class DashboardFeed
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (long Version, string Json) _current = (0, "{}");

    /// <summary>The latest document and its version (0 = nothing published yet).</summary>
    public (long Version, string Json) Current
    {
        get { lock (_gate) return _current; }
    }

    /// <summary>Publishes a new document and wakes every waiter.</summary>
    public void Publish(string json)
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            _current = (_current.Version + 1, json);
            woken = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        woken.TrySetResult();
    }

    /// <summary>Waits until a document newer than <paramref name="version"/> exists, or <paramref name="timeout"/> passes.</summary>
    public async Task<(long Version, string Json)> NextAsync(long version, TimeSpan timeout, CancellationToken ct)
    {
        Task next;
        lock (_gate)
        {
            if (_current.Version > version) return _current;
            next = _next.Task;
        }
        try { await next.WaitAsync(timeout, ct).ConfigureAwait(false); }
        catch (TimeoutException) { }
        return Current;
    }
}
