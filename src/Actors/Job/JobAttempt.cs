namespace ActorTrain.Actors.Job;

/// <summary>One attempt of an elastic job (actortrain.job.max-restarts &gt; 0) on this node.</summary>
/// <param name="Restart">Why this attempt is a restart (null for the first attempt of this process).</param>
/// <param name="SeedNodes">Seed nodes for this attempt's fresh actor system (null: the configured ones).</param>
internal sealed record JobAttempt(RestartContext? Restart, IReadOnlyList<string>? SeedNodes);
