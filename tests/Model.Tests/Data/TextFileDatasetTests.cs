using System.Text;
using ActorTrain.Model.Data;
using Xunit;

namespace ActorTrain.Model.Tests.Data;

public class TextFileDatasetTests
{
    [Fact]
    public void Windows_are_context_plus_one_tokens_and_every_token_after_the_first_is_a_target_once()
    {
        using var dir = new TempDirectory();
        var path = dir.File("corpus.txt");
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => (char)('a' + i % 26)));
        File.WriteAllText(path, text, new UTF8Encoding(true)); // with a BOM, which is skipped
        var dataset = new TextFileDataset(path, contextLength: 8);
        Assert.Equal(50, dataset.TokenCount);
        Assert.Equal(6, dataset.Count); // (50 - 1) / 8
        Assert.Equal(text[..9], ByteTokenizer.Instance.Decode(dataset[0].Tokens));
        Assert.Equal(text[8..17], ByteTokenizer.Instance.Decode(dataset[1].Tokens));
        var batch = new Batcher(8).Collate(Enumerable.Range(0, dataset.Count).Select(i => dataset[i]).ToArray());
        Assert.Equal(ByteTokenizer.Instance.Encode(text[1..49]), batch.Targets);
    }

    [Fact]
    public void Missing_empty_short_and_non_utf8_files_are_rejected_naming_the_file()
    {
        using var dir = new TempDirectory();
        var missing = dir.File("missing.txt");
        Assert.Contains(missing, Assert.Throws<DatasetFormatException>(() => new TextFileDataset(missing, 8)).Message);

        var empty = dir.File("empty.txt");
        File.WriteAllBytes(empty, []);
        Assert.Equal($"{empty}: text file is empty.", Assert.Throws<DatasetFormatException>(() => new TextFileDataset(empty, 8)).Message);

        var shortFile = dir.File("short.txt");
        File.WriteAllText(shortFile, "abc");
        Assert.Contains("fewer than the 9", Assert.Throws<DatasetFormatException>(() => new TextFileDataset(shortFile, 8)).Message);

        var latin1 = dir.File("latin1.txt");
        File.WriteAllBytes(latin1, [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'!', (byte)'!', (byte)'!', (byte)'!', (byte)'!', (byte)'!']);
        var e = Assert.Throws<DatasetFormatException>(() => new TextFileDataset(latin1, 4));
        Assert.Contains(latin1, e.Message);
        Assert.Contains("not valid UTF-8 (first bad byte at offset 3)", e.Message);
    }
}
