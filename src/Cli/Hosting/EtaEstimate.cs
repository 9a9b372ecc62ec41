using ActorTrain.Actors.Reporting;

namespace ActorTrain.Cli;

/// <summary>
/// Time left in a run, from rank 0's own clock in the events: the mean time per step since the run's start event
/// (evaluations and checkpoints included, since they recur) times the steps still to go. Start-up (cluster
/// formation, loading data) happens before the start event, so it does not inflate the estimate.
/// </summary>
public sealed class EtaEstimate
{
    private (long Step, double Elapsed)? _origin;

    /// <summary>Takes the origin from the first start or step event.</summary>
    public void Observe(TrainingEvent e)
    {
        if (_origin is null && e.Kind is "start" or "step") _origin = (e.Kind == "start" ? e.Step : e.Step - 1, e.ElapsedSeconds);
    }

    /// <summary>Time left after step event <paramref name="e"/>; null before a step past the origin.</summary>
    public TimeSpan? Remaining(TrainingEvent e)
    {
        if (_origin is not { } origin || e.Step <= origin.Step || e.TotalSteps <= 0) return null;
        var perStep = (e.ElapsedSeconds - origin.Elapsed) / (e.Step - origin.Step);
        return perStep >= 0 ? TimeSpan.FromSeconds(perStep * Math.Max(0, e.TotalSteps - e.Step)) : null;
    }

    /// <summary>"0:42", "12:05", "1:02:03", or "?" when unknown.</summary>
    public static string Format(TimeSpan? remaining) => remaining switch
    {
        null => "?",
        { TotalHours: >= 1 } t => $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}",
        { } t => $"{t.Minutes}:{t.Seconds:00}",
    };
}
