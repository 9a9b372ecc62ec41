using System.Collections.Concurrent;

namespace ActorTrain.Actors.Sync;

/// <summary>
/// A dedicated thread that runs blocking transfer jobs one after another. Collectives send on one worker and
/// receive on another, so both directions of a link stream at once without tying up thread-pool threads.
/// </summary>
internal sealed class CollectiveWorker
{
    private readonly BlockingCollection<(Action Job, TaskCompletionSource Done)> _jobs = new();
    private readonly Thread _thread;

    public CollectiveWorker(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Whether the thread has ended (after <see cref="Stop"/>).</summary>
    public bool HasStopped => !_thread.IsAlive;

    /// <summary>Queues <paramref name="job"/>; the task completes (or faults) when it has run.</summary>
    public Task Run(Action job)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs.Add((job, done));
        return done.Task;
    }

    /// <summary>
    /// Lets the thread end after its current job and waits for it at most <paramref name="bound"/>. Returns false when
    /// it is still running (a job blocked in a wait that was not aborted); the thread is then left to end on its own.
    /// </summary>
    public bool Stop(TimeSpan bound)
    {
        _jobs.CompleteAdding();
        if (Thread.CurrentThread == _thread) return true;
        return _thread.Join(bound);
    }

    private void Run()
    {
        foreach (var (job, done) in _jobs.GetConsumingEnumerable())
        {
            try { job(); done.SetResult(); }
            catch (Exception ex) { done.SetException(ex); }
        }
    }
}
