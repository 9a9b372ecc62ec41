using System.Globalization;

namespace ActorTrain.Model.Data;

/// <summary>
/// One arithmetic problem such as <c>317+48=365</c>. The model sees <see cref="Prompt"/> ("317+48=") and
/// must produce <see cref="Answer"/> ("365\n", the newline marking the end), so exact-match evaluation is
/// "generate after the prompt until a newline and compare".
/// </summary>
/// <param name="Left">Left operand (≥ 0).</param>
/// <param name="Operator">'+' or '-'.</param>
/// <param name="Right">Right operand (≥ 0).</param>
public readonly record struct ArithmeticProblem(int Left, char Operator, int Right)
{
    /// <summary>The character that ends every answer.</summary>
    public const char EndMarker = '\n';

    /// <summary>The value of the expression.</summary>
    public int Result => Operator switch
    {
        '+' => Left + Right,
        '-' => Left - Right,
        _ => throw new InvalidOperationException($"Unknown arithmetic operator '{Operator}'."),
    };

    /// <summary>The prompt, e.g. "317+48=".</summary>
    public string Prompt => string.Create(CultureInfo.InvariantCulture, $"{Left}{Operator}{Right}=");

    /// <summary>The expected continuation, e.g. "365\n".</summary>
    public string Answer => Result.ToString(CultureInfo.InvariantCulture) + EndMarker;

    /// <summary>Prompt and answer, e.g. "317+48=365\n".</summary>
    public string Text => Prompt + Answer;

    /// <summary>
    /// Whether a generated continuation of the prompt is exactly right: it must begin with the answer
    /// including the end marker (anything generated after the marker is ignored).
    /// </summary>
    public bool IsExactMatch(string continuation) => continuation.StartsWith(Answer, StringComparison.Ordinal);

    /// <summary>The training sequence: loss only on the answer tokens.</summary>
    public TrainingSequence ToSequence(ITokenizer tokenizer)
        => TrainingSequence.PromptAndAnswer(tokenizer.Encode(Prompt), tokenizer.Encode(Answer));

    /// <inheritdoc />
    public override string ToString() => Prompt + Result.ToString(CultureInfo.InvariantCulture);
}
