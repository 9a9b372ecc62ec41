namespace ActorTrain.Model.Data;

/// <summary>One split of an <see cref="ArithmeticCorpus"/>, as problems and as training sequences.</summary>
public sealed class ArithmeticDataset : ISequenceDataset
{
    private readonly ReadOnlyMemory<ArithmeticProblem> _problems;
    private readonly ITokenizer _tokenizer;

    /// <summary>Wraps <paramref name="problems"/>.</summary>
    public ArithmeticDataset(ReadOnlyMemory<ArithmeticProblem> problems, ITokenizer tokenizer)
    {
        _problems = problems;
        _tokenizer = tokenizer;
    }

    /// <inheritdoc />
    public int Count => _problems.Length;

    /// <summary>The problems of this split.</summary>
    public ReadOnlySpan<ArithmeticProblem> Problems => _problems.Span;

    /// <summary>The problem at <paramref name="index"/>.</summary>
    public ArithmeticProblem Problem(int index) => _problems.Span[index];

    /// <inheritdoc />
    public TrainingSequence this[int index] => _problems.Span[index].ToSequence(_tokenizer);
}
