namespace ActorTrain.Actors.Job;

/// <summary>
/// The log line with which a surviving node of an elastic job says that it stopped its old actor system and is about to
/// rejoin (<c>Restart N of at most M (actortrain.job.max-restarts): cause…</c>). A launcher that brings lost nodes back
/// (<c>simulate</c>) relaunches a node once every survivor said it: the new process's first join then reaches the
/// cluster the survivors re-form. Sooner, its first join reaches the old cluster and it only gets into the new one on a
/// later try (about 10 s later); later only wastes the time the survivors spend waiting for it.
/// </summary>
public static class RestartAnnouncement
{
    /// <summary>The log message template <see cref="ElasticJobNode"/> writes (a warning).</summary>
    internal const string Template =
        "Restart {Attempt} of at most {Max} (actortrain.job.max-restarts): {Cause}. Lost: {Lost}. Rejoining through {Seeds}";

    /// <summary>Whether a line of a node's console output is that announcement.</summary>
    public static bool IsAnnouncement(string line) =>
        line.Contains("Restart ", StringComparison.Ordinal) && line.Contains(" (actortrain.job.max-restarts): ", StringComparison.Ordinal);
}
