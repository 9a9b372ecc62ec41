using System.Text;

namespace ActorTrain.Model.Data;

/// <summary>
/// Byte-level tokenizer: a token is one byte of the UTF-8 encoding (vocabulary 256), so every text
/// round-trips and no vocabulary file is needed.
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    /// <summary>Number of token ids.</summary>
    public const int Vocabulary = 256;

    // Decoding model output must not throw on a cut-off multi-byte character: invalid bytes become U+FFFD.
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The shared instance (the tokenizer is stateless).</summary>
    public static ByteTokenizer Instance { get; } = new();

    /// <inheritdoc />
    public int VocabSize => Vocabulary;

    /// <inheritdoc />
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Lenient.GetBytes(text);
        return ToTokens(bytes);
    }

    /// <summary>Widens bytes to token ids.</summary>
    public static long[] ToTokens(ReadOnlySpan<byte> bytes)
    {
        var tokens = new long[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            tokens[i] = bytes[i];
        }
        return tokens;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A token is outside 0..255.</exception>
    public string Decode(ReadOnlySpan<long> tokens)
    {
        Span<byte> bytes = tokens.Length <= 1024 ? stackalloc byte[tokens.Length] : new byte[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if ((ulong)t >= Vocabulary)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), t, $"Token {t} at position {i} is not a byte token (0..255).");
            }
            bytes[i] = (byte)t;
        }
        return Lenient.GetString(bytes);
    }
}
