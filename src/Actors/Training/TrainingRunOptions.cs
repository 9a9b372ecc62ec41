using ActorTrain.Actors.Settings;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Training;

/// <summary>What a rank's training run needs.</summary>
public sealed record TrainingRunOptions(ActorTrainSettings Settings, string EffectiveConfigText, ILoggerFactory LoggerFactory);
