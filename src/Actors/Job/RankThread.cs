using ActorTrain.Actors.Training;

namespace ActorTrain.Actors.Job;

/// <summary>Runs a rank's training loop on a thread of its own: the loop blocks in native tensor code and collectives,
/// which must not hold thread-pool threads (Akka and the sync transports run there).</summary>
internal static class RankThread
{
    /// <summary>Starts <paramref name="body"/> on a new background thread named <paramref name="name"/>.</summary>
    public static Task<TrainingOutcome> Run(string name, Func<Task<TrainingOutcome>> body)
    {
        var completion = new TaskCompletionSource<TrainingOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { completion.TrySetResult(body().GetAwaiter().GetResult()); }
            catch (OperationCanceledException) { completion.TrySetCanceled(); }
            catch (Exception ex) { completion.TrySetException(ex); }
        }) { IsBackground = true, Name = name };
        thread.Start();
        return completion.Task;
    }
}
