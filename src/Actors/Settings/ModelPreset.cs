namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.model.preset</c>.</summary>
public enum ModelPreset
{
    /// <summary>Small GPT for CPU runs ("gpt-small").</summary>
    GptSmall,
    /// <summary>The DDP benchmark model, ≈3.3 M parameters ("gpt-bench").</summary>
    GptBench,
    /// <summary>Dimensions exactly as configured ("custom").</summary>
    Custom,
}
