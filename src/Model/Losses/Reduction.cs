namespace ActorTrain.Model.Losses;

/// <summary>How per-element losses are combined; values are the native codes.</summary>
public enum Reduction
{
    /// <summary>Per-element losses.</summary>
    None = 0,
    /// <summary>Mean over non-ignored elements.</summary>
    Mean = 1,
    /// <summary>Sum over non-ignored elements (DDP steps divide by the global token count themselves).</summary>
    Sum = 2,
}
