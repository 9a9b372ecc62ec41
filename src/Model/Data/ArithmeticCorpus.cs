using ActorTrain.Model.Sampling;

namespace ActorTrain.Model.Data;

/// <summary>
/// A synthetic corpus of arithmetic problems, deterministic from a seed: every problem
/// <c>a op b</c> with 0 ≤ a, b ≤ MaxOperand (for '-' only a ≥ b) is enumerated, shuffled with
/// <see cref="DeterministicRandom"/>(seed), optionally capped, and the first
/// <c>round(ValidationFraction × count)</c> become the validation split, the rest the training split —
/// so the splits never overlap and the same seed always gives the same splits.
/// </summary>
public sealed class ArithmeticCorpus
{
    /// <summary>Largest number of problems enumerated (keeps memory bounded).</summary>
    public const int MaxUniverse = 1 << 22;

    /// <summary>Builds the corpus.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public ArithmeticCorpus(ArithmeticCorpusOptions? options = null, ITokenizer? tokenizer = null)
    {
        Options = options ?? new ArithmeticCorpusOptions();
        Tokenizer = tokenizer ?? ByteTokenizer.Instance;
        var ops = Validate(Options);
        var problems = Enumerate(Options.MaxOperand, ops);
        new DeterministicRandom(Options.Seed).Shuffle(problems.AsSpan());
        var count = Math.Min(problems.Length, Options.MaxProblems ?? int.MaxValue);
        var validationCount = (int)Math.Round(Options.ValidationFraction * count, MidpointRounding.AwayFromZero);
        Validation = new ArithmeticDataset(problems.AsMemory(0, validationCount), Tokenizer);
        Train = new ArithmeticDataset(problems.AsMemory(validationCount, count - validationCount), Tokenizer);
    }

    /// <summary>The settings.</summary>
    public ArithmeticCorpusOptions Options { get; }

    /// <summary>Tokenizer used to turn problems into sequences.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>The training split.</summary>
    public ArithmeticDataset Train { get; }

    /// <summary>The validation split (disjoint from <see cref="Train"/>).</summary>
    public ArithmeticDataset Validation { get; }

    private static string Validate(ArithmeticCorpusOptions o)
    {
        if (o.MaxOperand < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MaxOperand), o.MaxOperand, "arithmetic corpus: max operand must be ≥ 0.");
        }
        if (string.IsNullOrEmpty(o.Operators) || o.Operators.Any(c => c is not ('+' or '-')) || o.Operators.Distinct().Count() != o.Operators.Length)
        {
            throw new ArgumentException($"arithmetic corpus: operators must be distinct characters from \"+-\"; got \"{o.Operators}\".", nameof(o.Operators));
        }
        if (!(o.ValidationFraction >= 0 && o.ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(o.ValidationFraction), o.ValidationFraction, "arithmetic corpus: validation fraction must be in [0, 1).");
        }
        if (o.MaxProblems is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MaxProblems), o.MaxProblems, "arithmetic corpus: max problems must be ≥ 1 when set.");
        }
        var n = (long)o.MaxOperand + 1;
        var universe = o.Operators.Sum(op => op == '+' ? n * n : n * (n + 1) / 2);
        if (universe > MaxUniverse)
        {
            throw new ArgumentOutOfRangeException(nameof(o.MaxOperand), o.MaxOperand,
                $"arithmetic corpus: max operand {o.MaxOperand} with operators \"{o.Operators}\" gives {universe} problems, more than the {MaxUniverse} this corpus enumerates; lower max-operand.");
        }
        return o.Operators;
    }

    private static ArithmeticProblem[] Enumerate(int maxOperand, string ops)
    {
        var list = new List<ArithmeticProblem>();
        foreach (var op in ops)
        {
            for (var a = 0; a <= maxOperand; a++)
            {
                for (var b = 0; b <= (op == '-' ? a : maxOperand); b++)
                {
                    list.Add(new ArithmeticProblem(a, op, b));
                }
            }
        }
        return [.. list];
    }
}
