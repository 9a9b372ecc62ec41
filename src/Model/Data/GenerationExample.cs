namespace ActorTrain.Model.Data;

/// <summary>
/// An exact-match evaluation item: greedy generation after <see cref="Prompt"/> is right when it begins with
/// <see cref="Expected"/> (which ends with the end marker, so the model must also stop).
/// </summary>
/// <param name="Prompt">Text given to the model.</param>
/// <param name="Expected">The continuation that counts as right, end marker included.</param>
/// <param name="Label">Short text naming the item in sample lines (e.g. the question).</param>
public sealed record GenerationExample(string Prompt, string Expected, string Label)
{
    /// <summary>Whether <paramref name="continuation"/> begins with <see cref="Expected"/>.</summary>
    public bool IsExactMatch(string continuation) => continuation.StartsWith(Expected, StringComparison.Ordinal);

    /// <summary>The example of an arithmetic problem ("27+15=" → "42\n").</summary>
    public static GenerationExample Of(ArithmeticProblem problem) => new(problem.Prompt, problem.Answer, problem.Prompt);
}
