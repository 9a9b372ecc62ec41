using ActorTrain.Model.Data;
using Xunit;

namespace ActorTrain.Model.Tests.Data;

public class JsonlInstructionDatasetTests
{
    private static string Decode(IEnumerable<long> tokens) => ByteTokenizer.Instance.Decode(tokens.ToArray());

    /// <summary>The labelled (non -100) text of a sequence.</summary>
    private static string Learned(TrainingSequence s) => Decode(s.Labels.Where(l => l != TrainingSequence.IgnoreIndex));

    [Fact]
    public void Both_line_formats_render_with_the_template_and_learn_only_assistant_turns()
    {
        using var dir = new TempDirectory();
        var path = dir.File("chat.jsonl");
        File.WriteAllLines(path,
        [
            """{"system": "Be brief.", "user": "2+2?", "assistant": "4"}""",
            "",
            """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Ciao"}]}""",
        ]);
        var data = new JsonlInstructionDataset(path);
        Assert.Equal(2, data.Count);
        Assert.Equal("<|system|>\nBe brief.\n<|end|>\n<|user|>\n2+2?\n<|end|>\n<|assistant|>\n4\n<|end|>\n", Decode(data[0].Tokens));
        Assert.Equal("4\n<|end|>\n", Learned(data[0]));
        Assert.Equal("Hello\n<|end|>\nCiao\n<|end|>\n", Learned(data[1]));
        Assert.Equal(data[1].Tokens.Length, data[1].Labels.Length);
    }

    [Fact]
    public void The_supervised_token_count_of_a_conversation_is_its_assistant_token_count()
    {
        using var dir = new TempDirectory();
        var path = dir.File("chat.jsonl");
        File.WriteAllLines(path, ["""{"messages": [{"role": "system", "content": "Add."}, {"role": "user", "content": "What is 27 plus 15?"}, {"role": "assistant", "content": "42"}, {"role": "user", "content": "And 1 plus 1?"}, {"role": "assistant", "content": "2"}]}"""]);
        var data = new JsonlInstructionDataset(path);
        var template = new ChatTemplate();
        // Assistant content plus its end-of-turn marker, per assistant turn; nothing of the system/user turns or headers.
        var assistantTokens = ByteTokenizer.Instance.Encode("42" + template.EndOfTurn).Length + ByteTokenizer.Instance.Encode("2" + template.EndOfTurn).Length;
        var batch = new Batcher(512).Collate([data[0]]);
        Assert.Equal(assistantTokens, batch.TargetTokenCount);
        var stats = SupervisionStats.Of(data, 512);
        Assert.Equal(assistantTokens, stats.Supervised);
        Assert.Equal(data[0].Length - 1, stats.Positions);
        Assert.Equal((double)assistantTokens / (data[0].Length - 1), stats.SupervisedFraction, 12);
    }

    [Theory]
    [InlineData("""{"user": "x"}""", "missing 'assistant'")]
    [InlineData("""{"user": "x", "assistant": 5}""", "'assistant' must be a string")]
    [InlineData("""{"messages": [{"role": "robot", "content": "x"}]}""", "role 'robot'")]
    [InlineData("""{"messages": [{"role": "user", "content": "x"}]}""", "no assistant message")]
    [InlineData("""{"user": "x", "assistant": "y" """, "not valid JSON")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    public void A_malformed_line_is_reported_with_file_and_line_number(string badLine, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.jsonl");
        File.WriteAllLines(path, ["""{"user": "ok", "assistant": "fine"}""", "", badLine]);
        var e = Assert.Throws<DatasetFormatException>(() => new JsonlInstructionDataset(path));
        Assert.StartsWith($"{path}:3: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Missing_and_empty_files_are_rejected_naming_the_file()
    {
        using var dir = new TempDirectory();
        Assert.Contains("does not exist", Assert.Throws<DatasetFormatException>(() => new JsonlInstructionDataset(dir.File("nope.jsonl"))).Message);
        File.WriteAllText(dir.File("blank.jsonl"), "\n\n");
        Assert.Contains("no conversations", Assert.Throws<DatasetFormatException>(() => new JsonlInstructionDataset(dir.File("blank.jsonl"))).Message);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("latin1.jsonl");
        File.WriteAllBytes(path, [.. "{\"user\": \"a\", \"assistant\": \"b\"}\n"u8, .. "{\"user\": \"caf"u8, 0xE9, .. "\", \"assistant\": \"b\"}\n"u8]);
        var e = Assert.Throws<DatasetFormatException>(() => new JsonlInstructionDataset(path));
        Assert.StartsWith($"{path}:2: ", e.Message);
    }
}
