using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Redraws a run directory's plots from metrics.jsonl off the training thread: drawing takes a few hundred
/// milliseconds, and every rank would wait that long for rank 0 at the next collective. Requests run one after another
/// in order; <see cref="Flush"/> waits for them. A plot that cannot be drawn costs a warning, never the run.
/// </summary>
public sealed class BackgroundPlotter(string runDirectory, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Queues a redraw of loss.png and throughput.png from metrics.jsonl as it is when the redraw starts.</summary>
    public void Request()
    {
        lock (_gate) _last = _last.ContinueWith(_ => Draw(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Waits until every requested redraw is done.</summary>
    public void Flush()
    {
        Task last;
        lock (_gate) last = _last;
        last.GetAwaiter().GetResult();
    }

    private void Draw()
    {
        try
        {
            TrainingPlots.WriteFromMetrics(runDirectory);
        }
        catch (Exception e)
        {
            // Any failure, a bug included, is reported but must not end a training run over a picture.
            logger.LogWarning("could not draw the plots in {RunDir} ({Error}: {Message}); redraw them later with: actortrain plot {RunDir}",
                runDirectory, e.GetType().Name, e.Message, runDirectory);
        }
    }
}
