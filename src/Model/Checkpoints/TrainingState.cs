using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Everything besides tensors that a resumed run needs to continue exactly where it stopped; stored as
/// <c>state.json</c> (snake_case keys, byte arrays as base64), written last, which marks a checkpoint complete.
/// </summary>
public sealed record TrainingState
{
    /// <summary>The state.json layout version this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Layout version of this state (see <see cref="CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Optimizer steps completed; the next step to run is this value.</summary>
    public long Step { get; init; }

    /// <summary>Sampler epoch and position within it (of rank 0; all ranks advance alike).</summary>
    public SamplerState Sampler { get; init; }

    /// <summary>World size the sampler position refers to.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>Learning-rate schedule in use (it is a pure function of <see cref="Step"/>).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Generator states by name (e.g. "torch", "dropout", "data"), as raw bytes.</summary>
    public Dictionary<string, byte[]> RngStates { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Tokens consumed so far over all ranks.</summary>
    public long ConsumedTokens { get; init; }

    /// <summary>Consecutive steps skipped for non-finite gradients at save time.</summary>
    public int NonFiniteStreak { get; init; }

    /// <summary>The run's configuration text (HOCON), as given.</summary>
    public string ConfigText { get; init; } = "";

    /// <summary>Free-form additional values.</summary>
    public Dictionary<string, string> Extra { get; init; } = new(StringComparer.Ordinal);
}
