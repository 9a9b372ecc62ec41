using System.Collections.Concurrent;

namespace ActorTrain.Cluster.Kernel;

/// <summary>
/// An actor's two queues (system messages first, then user messages) and its scheduling flag.
/// Many threads enqueue; one pool thread at a time runs the cell's turn. The flag makes sure of that without a
/// lock: whoever flips it 0→1 queues the mailbox itself as a thread-pool work item (no allocation); the turn
/// flips it back and re-queues if work arrived meanwhile. Both sides use full fences (Interlocked enqueue /
/// Exchange) so a message is never stranded.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Envelope> _user = new();
    private readonly ConcurrentQueue<SystemMessage> _system = new();
    private readonly Action _scheduleAction;
    private ActorCell _cell = null!;
    private int _scheduled;

    public Mailbox()
    {
        _scheduleAction = Schedule;
    }

    /// <summary>A cached delegate that schedules a turn (used as a task continuation without allocating).</summary>
    public Action ScheduleAction => _scheduleAction;

    public bool HasSystemMessages => !_system.IsEmpty;

    public bool HasUserMessages => !_user.IsEmpty;

    public void Attach(ActorCell cell) => _cell = cell;

    public void Post(object message, IActorRef? sender)
    {
        _user.Enqueue(new Envelope(message, sender));
        Schedule();
    }

    public void PostSystem(SystemMessage message)
    {
        _system.Enqueue(message);
        Schedule();
    }

    public bool TryDequeueUser(out Envelope envelope) => _user.TryDequeue(out envelope);

    public bool TryDequeueSystem(out SystemMessage message) => _system.TryDequeue(out message!);

    public void Schedule()
    {
        if (Volatile.Read(ref _scheduled) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            _cell.RunTurn();
        }
        catch (Exception e)
        {
            // The cell catches handler failures itself; reaching here is a kernel bug. Never let it kill the process.
            _cell.LogKernelFault(e);
        }
        Interlocked.Exchange(ref _scheduled, 0);
        if (_cell.HasRunnableWork()) Schedule();
    }
}
