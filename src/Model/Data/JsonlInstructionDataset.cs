using System.Text;
using System.Text.Json;

namespace ActorTrain.Model.Data;

/// <summary>
/// Instruction data from a JSONL file, one conversation per line, either
/// <c>{"system": "...", "user": "...", "assistant": "..."}</c> (system optional) or
/// <c>{"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}</c>. Each line becomes
/// one token sequence rendered with a <see cref="ChatTemplate"/>; only assistant content and its
/// end-of-turn marker are labelled, everything else is -100. Blank lines are skipped.
/// </summary>
public sealed class JsonlInstructionDataset : ISequenceDataset
{
    private readonly TrainingSequence[] _sequences;
    private readonly List<GenerationExample> _examples = new();

    /// <summary>Loads and tokenizes every line of <paramref name="path"/>.</summary>
    /// <exception cref="DatasetFormatException">The file is missing, empty or has a malformed line (named with its number).</exception>
    public JsonlInstructionDataset(string path, ITokenizer? tokenizer = null, ChatTemplate? template = null)
    {
        FilePath = path;
        Tokenizer = tokenizer ?? ByteTokenizer.Instance;
        Template = template ?? new ChatTemplate();
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "JSONL file does not exist; check the dataset path.");
        }
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var sequences = new List<TrainingSequence>();
        var lineNumber = 0;
        foreach (var rawLine in ReadLines(path, strict))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(rawLine))
            {
                continue;
            }
            sequences.Add(ParseLine(rawLine, lineNumber));
        }
        if (sequences.Count == 0)
        {
            throw new DatasetFormatException(path, null, "JSONL file holds no conversations (it is empty or only blank lines).");
        }
        _sequences = [.. sequences];
    }

    /// <summary>The source file.</summary>
    public string FilePath { get; }

    /// <summary>The tokenizer used.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>The template used.</summary>
    public ChatTemplate Template { get; }

    /// <inheritdoc />
    public int Count => _sequences.Length;

    /// <inheritdoc />
    public TrainingSequence this[int index] => _sequences[index];

    /// <summary>Sequence <paramref name="index"/> as a generation task: everything before its last assistant turn plus the
    /// assistant header is the prompt; that turn's content and end-of-turn marker the expected continuation.</summary>
    public GenerationExample Example(int index) => _examples[index];

    private static IEnumerable<string> ReadLines(string path, Encoding strict)
    {
        // Decoded line by line (not through a buffered StreamReader) so a bad byte is reported with its line.
        ReadOnlyMemory<byte> bytes = File.ReadAllBytes(path);
        if (bytes.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }
        var lineNumber = 0;
        while (bytes.Length > 0)
        {
            lineNumber++;
            var end = bytes.Span.IndexOf((byte)'\n');
            var line = end < 0 ? bytes : bytes[..end];
            bytes = end < 0 ? ReadOnlyMemory<byte>.Empty : bytes[(end + 1)..];
            if (line.Span.EndsWith("\r"u8))
            {
                line = line[..^1];
            }
            string text;
            try
            {
                text = strict.GetString(line.Span);
            }
            catch (DecoderFallbackException e)
            {
                throw new DatasetFormatException(path, lineNumber, "line is not valid UTF-8; convert the file to UTF-8.", e);
            }
            yield return text;
        }
    }

    private TrainingSequence ParseLine(string line, int lineNumber)
    {
        List<(string Role, string Content)> turns;
        try
        {
            using var document = JsonDocument.Parse(line);
            turns = ReadTurns(document.RootElement, lineNumber);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(FilePath, lineNumber, $"not valid JSON ({e.Message}).", e);
        }
        if (!turns.Any(t => t.Role == "assistant"))
        {
            throw new DatasetFormatException(FilePath, lineNumber, "conversation has no assistant message, so it has nothing to learn.");
        }
        var tokens = new List<long>();
        var labels = new List<long>();
        void Append(string text, bool learn)
        {
            var encoded = Tokenizer.Encode(text);
            tokens.AddRange(encoded);
            if (learn)
            {
                labels.AddRange(encoded);
            }
            else
            {
                labels.AddRange(Enumerable.Repeat(TrainingSequence.IgnoreIndex, encoded.Length));
            }
        }
        var lastAssistant = turns.FindLastIndex(t => t.Role == "assistant");
        var prompt = new StringBuilder();
        for (var i = 0; i < turns.Count; i++)
        {
            var (role, content) = turns[i];
            var assistant = role == "assistant";
            Append(Template.HeaderFor(role)!, learn: false);
            Append(content + Template.EndOfTurn, learn: assistant);
            if (i < lastAssistant) prompt.Append(Template.HeaderFor(role)).Append(content).Append(Template.EndOfTurn);
        }
        prompt.Append(Template.AssistantHeader);
        var label = turns.LastOrDefault(t => t.Role == "user").Content ?? "";
        _examples.Add(new GenerationExample(prompt.ToString(), turns[lastAssistant].Content + Template.EndOfTurn, label));
        return new TrainingSequence([.. tokens], [.. labels]);
    }

    private List<(string Role, string Content)> ReadTurns(JsonElement root, int lineNumber)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new DatasetFormatException(FilePath, lineNumber, $"expected a JSON object, found a {root.ValueKind}.");
        }
        var turns = new List<(string, string)>();
        if (root.TryGetProperty("messages", out var messages))
        {
            if (messages.ValueKind != JsonValueKind.Array)
            {
                throw new DatasetFormatException(FilePath, lineNumber, "'messages' must be an array of {\"role\", \"content\"} objects.");
            }
            var i = 0;
            foreach (var message in messages.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
                    || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                {
                    throw new DatasetFormatException(FilePath, lineNumber, $"messages[{i}] must be an object with string 'role' and 'content'.");
                }
                var roleName = role.GetString()!;
                if (Template.HeaderFor(roleName) is null)
                {
                    throw new DatasetFormatException(FilePath, lineNumber, $"messages[{i}] has role '{roleName}'; expected system, user or assistant.");
                }
                turns.Add((roleName, content.GetString()!));
                i++;
            }
            return turns;
        }
        foreach (var role in new[] { "system", "user", "assistant" })
        {
            if (root.TryGetProperty(role, out var content))
            {
                if (content.ValueKind != JsonValueKind.String)
                {
                    throw new DatasetFormatException(FilePath, lineNumber, $"'{role}' must be a string, found a {content.ValueKind}.");
                }
                turns.Add((role, content.GetString()!));
            }
            else if (role != "system")
            {
                throw new DatasetFormatException(FilePath, lineNumber, $"missing '{role}'; each line needs \"user\" and \"assistant\" (and optionally \"system\"), or \"messages\".");
            }
        }
        return turns;
    }
}
