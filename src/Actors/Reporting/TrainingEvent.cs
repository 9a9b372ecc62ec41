using System.Text.Json.Serialization;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// One thing that happened in a run, as rank 0 reports it: a step, an evaluation, a checkpoint, a warning or the end.
/// Serialized as one JSON line in <c>metrics.jsonl</c> and on a node's stdout (prefixed, see <see cref="EventLine"/>),
/// which is how <c>actortrain simulate</c> shows progress from other processes.
/// </summary>
public sealed record TrainingEvent
{
    /// <summary>"step", "eval", "checkpoint", "warning", "sample", "done", "start".</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = "step";
    /// <summary>Optimizer step (1-based, after the step completed).</summary>
    [JsonPropertyName("step")] public long Step { get; init; }
    /// <summary>Total steps of the run.</summary>
    [JsonPropertyName("total_steps")] public long TotalSteps { get; init; }
    /// <summary>Training loss (mean over the step's non-ignored tokens, all ranks).</summary>
    [JsonPropertyName("loss")] public double? Loss { get; init; }
    /// <summary>Learning rate used for the step.</summary>
    [JsonPropertyName("lr")] public double? LearningRate { get; init; }
    /// <summary>Global gradient norm before clipping.</summary>
    [JsonPropertyName("grad_norm")] public double? GradNorm { get; init; }
    /// <summary>Tokens processed per second, all ranks together, over the last logging window.</summary>
    [JsonPropertyName("tokens_per_s")] public double? TokensPerSecond { get; init; }
    /// <summary>Validation loss (eval events).</summary>
    [JsonPropertyName("val_loss")] public double? ValidationLoss { get; init; }
    /// <summary>Validation exact-match in [0,1] (eval events).</summary>
    [JsonPropertyName("exact_match")] public double? ExactMatch { get; init; }
    /// <summary>Per-layer gradient norms (step events every log-every steps).</summary>
    [JsonPropertyName("layer_grad_norms")] public Dictionary<string, double>? LayerGradNorms { get; init; }
    /// <summary>Rank 0's forward + backward seconds per step, mean over the logging window (step events).</summary>
    [JsonPropertyName("compute_s")] public double? ComputeSeconds { get; init; }
    /// <summary>Rank 0's seconds per step waiting for the gradient sync after backward, mean over the logging window.</summary>
    [JsonPropertyName("sync_wait_s")] public double? SyncWaitSeconds { get; init; }
    /// <summary>Rank 0's seconds per step for averaging, clipping and the optimizer, mean over the logging window.</summary>
    [JsonPropertyName("optimizer_s")] public double? OptimizerSeconds { get; init; }
    /// <summary>Free text: a warning, a generated sample, a checkpoint path.</summary>
    [JsonPropertyName("message")] public string? Message { get; init; }
    /// <summary>Seconds since the run started.</summary>
    [JsonPropertyName("elapsed_s")] public double ElapsedSeconds { get; init; }
}
