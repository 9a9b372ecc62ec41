using ActorTrain.Model.Data;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace ActorTrain.Model.Tests.Data;

public class ByteTokenizerTests
{
    [Fact]
    public void Any_text_round_trips_through_utf8_byte_tokens()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements("a", "Z", " ", "\n", "é", "€", "日本", "🙂", "=", "9"))), parts =>
        {
            var text = string.Concat(parts);
            var tokens = ByteTokenizer.Instance.Encode(text);
            return tokens.All(t => t is >= 0 and < 256) && ByteTokenizer.Instance.Decode(tokens) == text;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Multi_byte_characters_become_several_tokens_and_cut_sequences_decode_with_a_replacement_character()
    {
        var tokens = ByteTokenizer.Instance.Encode("€");
        Assert.Equal([0xE2L, 0x82, 0xAC], tokens);
        Assert.Equal("\uFFFD", ByteTokenizer.Instance.Decode(tokens.AsSpan(0, 2)));
    }

    [Fact]
    public void Tokens_outside_the_byte_range_are_rejected_with_their_position()
        => Assert.Contains("position 1", Assert.Throws<ArgumentOutOfRangeException>(() => ByteTokenizer.Instance.Decode([65, 256])).Message);
}
