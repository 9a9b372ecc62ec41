namespace ActorTrain.Model.Data;

/// <summary>
/// One training example before batching: its tokens and, aligned with them, the label of each token
/// (the token itself when the model should learn to produce it, <see cref="IgnoreIndex"/> when not).
/// The <see cref="Batcher"/> shifts: the target of input position t is <c>Labels[t + 1]</c>.
/// </summary>
/// <param name="Tokens">Token ids.</param>
/// <param name="Labels">Same length as <paramref name="Tokens"/>; -100 where no loss is taken.</param>
public sealed record TrainingSequence(long[] Tokens, long[] Labels)
{
    /// <summary>The label that excludes a position from the loss (PyTorch's ignore_index default).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>A sequence that is learned in full (plain text).</summary>
    public static TrainingSequence Unmasked(long[] tokens) => new(tokens, tokens);

    /// <summary>A sequence whose loss covers only the answer: prompt positions are labelled -100.</summary>
    public static TrainingSequence PromptAndAnswer(ReadOnlySpan<long> prompt, ReadOnlySpan<long> answer)
    {
        var tokens = new long[prompt.Length + answer.Length];
        prompt.CopyTo(tokens);
        answer.CopyTo(tokens.AsSpan(prompt.Length));
        var labels = new long[tokens.Length];
        labels.AsSpan(0, prompt.Length).Fill(IgnoreIndex);
        answer.CopyTo(labels.AsSpan(prompt.Length));
        return new TrainingSequence(tokens, labels);
    }

    /// <summary>Number of tokens.</summary>
    public int Length => Tokens.Length;

    /// <summary>Checks that tokens and labels have equal length; names the problem otherwise.</summary>
    public TrainingSequence Validate()
    {
        if (Tokens.Length != Labels.Length)
        {
            throw new ArgumentException($"A training sequence has {Tokens.Length} tokens but {Labels.Length} labels.");
        }
        return this;
    }
}
