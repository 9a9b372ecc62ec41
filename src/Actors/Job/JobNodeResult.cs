using ActorTrain.Actors.Training;

namespace ActorTrain.Actors.Job;

/// <summary>How one node's part of a job ended.</summary>
/// <param name="NodeAddress">The node's cluster address.</param>
/// <param name="NodeRank">The node's rank.</param>
/// <param name="Outcomes">Outcome of each local rank, by local rank.</param>
public sealed record JobNodeResult(string NodeAddress, int NodeRank, IReadOnlyList<TrainingOutcome> Outcomes);
