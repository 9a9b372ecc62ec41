namespace ActorTrain.Model.Data;

/// <summary>
/// How chat turns become text for a byte-level model: each turn is its role header, the content and
/// <see cref="EndOfTurn"/>. For assistant turns the content and the end-of-turn marker carry the loss
/// (the model learns to answer and to stop); headers and other turns do not.
/// </summary>
/// <param name="SystemHeader">Text before a system message.</param>
/// <param name="UserHeader">Text before a user message.</param>
/// <param name="AssistantHeader">Text before an assistant message (the generation prompt).</param>
/// <param name="EndOfTurn">Text after every message; generation stops when the model emits it.</param>
public sealed record ChatTemplate(
    string SystemHeader = "<|system|>\n",
    string UserHeader = "<|user|>\n",
    string AssistantHeader = "<|assistant|>\n",
    string EndOfTurn = "\n<|end|>\n")
{
    /// <summary>The header for <paramref name="role"/>, or null for an unknown role.</summary>
    public string? HeaderFor(string role) => role switch
    {
        "system" => SystemHeader,
        "user" => UserHeader,
        "assistant" => AssistantHeader,
        _ => null,
    };
}
