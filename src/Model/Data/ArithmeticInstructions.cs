using System.Globalization;
using System.Text.Json;

namespace ActorTrain.Model.Data;

/// <summary>
/// Instruction-form arithmetic for the fine-tuning example: each problem of an <see cref="ArithmeticCorpus"/> becomes a
/// JSONL conversation <c>{"user": "What is 27 plus 15?", "assistant": "42"}</c>, in the corpus's shuffled order.
/// </summary>
public static class ArithmeticInstructions
{
    /// <summary>The user's question for <paramref name="problem"/>.</summary>
    public static string Question(ArithmeticProblem problem) => string.Create(CultureInfo.InvariantCulture,
        $"What is {problem.Left} {(problem.Operator == '+' ? "plus" : "minus")} {problem.Right}?");

    /// <summary>The JSONL line of <paramref name="problem"/>.</summary>
    public static string Line(ArithmeticProblem problem) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["user"] = Question(problem),
        ["assistant"] = problem.Result.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>Up to <paramref name="count"/> lines of sums a + b with operands up to <paramref name="maxOperand"/>, shuffled by <paramref name="seed"/>.</summary>
    public static IEnumerable<string> Lines(long seed, int maxOperand, int count)
    {
        var corpus = new ArithmeticCorpus(new ArithmeticCorpusOptions(seed, maxOperand, "+", 0, count));
        for (var i = 0; i < corpus.Train.Count; i++) yield return Line(corpus.Train.Problem(i));
    }
}
