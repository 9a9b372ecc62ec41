using ActorTrain.Cluster.Serialization;
using MessagePack;

namespace ActorTrain.Actors.Dashboard;

// What every node tells the dashboard, through the job coordinator's singleton proxy: the coordinator publishes these
// on its node's event stream, where the dashboard (served by that node) picks them up. MessagePack contracts with
// integer keys (manifests in reference.conf); sent twice a second at most per node, so they cost nothing beside a step.

/// <summary>The latest progress of one node's ranks.</summary>
/// <param name="NodeAddress">The node's cluster address.</param>
/// <param name="Ranks">One entry per rank the node hosts.</param>
[MessagePackObject]
public sealed record RankProgress(
    [property: Key(0)] string NodeAddress,
    [property: Key(1)] RankProgressEntry[] Ranks) : IMessageContract;

/// <summary>One rank's progress since the node's previous report.</summary>
/// <param name="Rank">Global rank.</param>
/// <param name="Step">The rank's step number after its last step.</param>
/// <param name="StepSeconds">Mean step time since the previous report (the last step's when none finished since).</param>
/// <param name="SyncWaitSeconds">Mean wait for the gradient sync per step over the same steps.</param>
/// <param name="TokensPerSecond">The rank's input tokens per second over the same steps.</param>
[MessagePackObject]
public sealed record RankProgressEntry(
    [property: Key(0)] int Rank,
    [property: Key(1)] long Step,
    [property: Key(2)] double StepSeconds,
    [property: Key(3)] double SyncWaitSeconds,
    [property: Key(4)] double TokensPerSecond);

/// <summary>Rank 0's training events since the previous report (steps, evaluations, checkpoints, warnings, the end).</summary>
/// <param name="Events">In order.</param>
[MessagePackObject]
public sealed record RunEvents([property: Key(0)] RunEvent[] Events) : IMessageContract;

/// <summary>One of rank 0's training events, as the dashboard needs it.</summary>
/// <param name="Kind">step, eval, checkpoint, warning, done, start.</param>
/// <param name="Step">Optimizer step.</param>
/// <param name="TotalSteps">Steps of the run.</param>
/// <param name="Loss">Training loss (step events).</param>
/// <param name="TokensPerSecond">Job tokens per second (step events).</param>
/// <param name="ValidationLoss">Validation loss (eval events).</param>
/// <param name="Message">Warning text, checkpoint path, or the end's summary.</param>
/// <param name="ElapsedSeconds">Seconds since the run started.</param>
[MessagePackObject]
public sealed record RunEvent(
    [property: Key(0)] string Kind,
    [property: Key(1)] long Step,
    [property: Key(2)] long TotalSteps,
    [property: Key(3)] double? Loss,
    [property: Key(4)] double? TokensPerSecond,
    [property: Key(5)] double? ValidationLoss,
    [property: Key(6)] string? Message,
    [property: Key(7)] double ElapsedSeconds);

/// <summary>The job coordinator started on this node (published on the local event stream only; never sent).</summary>
public sealed class JobCoordinatorStarted
{
    /// <summary>The one instance.</summary>
    public static readonly JobCoordinatorStarted Instance = new();
}
