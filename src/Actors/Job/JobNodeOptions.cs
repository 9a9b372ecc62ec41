using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Training;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Job;

/// <summary>What <see cref="JobNode"/> needs to run one node of a job.</summary>
/// <param name="Config">The loaded configuration (settings and effective config).</param>
/// <param name="LoggerFactory">Where logs go.</param>
/// <param name="Observer">Receives rank 0's training events (only the node hosting rank 0 sees any).</param>
public sealed record JobNodeOptions(LoadedConfig Config, ILoggerFactory LoggerFactory, ITrainingObserver Observer);
