namespace ActorTrain.Actors.Training;

/// <summary>How a run ended.</summary>
public sealed record TrainingOutcome(long Steps, string? LastCheckpoint, double? FinalLoss, double? ValidationLoss, double? ExactMatch);
