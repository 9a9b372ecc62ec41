using System.Text;

namespace ActorTrain.Model.Data;

/// <summary>
/// A plain UTF-8 text file cut into fixed-length byte-token windows for language modelling. Window i
/// holds tokens [i·T, i·T + T + 1): T inputs and their T next-token targets, so consecutive windows
/// share one boundary token and every token after the first is a target exactly once. A trailing
/// part shorter than a window is dropped.
/// </summary>
public sealed class TextFileDataset : ISequenceDataset
{
    private readonly byte[] _bytes;

    /// <summary>Loads <paramref name="path"/> (a leading UTF-8 BOM is skipped).</summary>
    /// <param name="path">The text file.</param>
    /// <param name="contextLength">T: input positions per window.</param>
    /// <exception cref="DatasetFormatException">The file is missing, empty, not valid UTF-8 or shorter than one window.</exception>
    public TextFileDataset(string path, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        FilePath = path;
        ContextLength = contextLength;
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "text file does not exist; check the dataset path.");
        }
        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        if (bytes.Length - start == 0)
        {
            throw new DatasetFormatException(path, null, "text file is empty.");
        }
        if (System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(start)) is false)
        {
            var offset = FirstInvalidUtf8Offset(bytes.AsSpan(start)) + start;
            throw new DatasetFormatException(path, null, $"text file is not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8.");
        }
        _bytes = start == 0 ? bytes : bytes[start..];
        Count = (_bytes.Length - 1) / contextLength;
        if (Count == 0)
        {
            throw new DatasetFormatException(path, null,
                $"text file has {_bytes.Length} bytes, fewer than the {contextLength + 1} one training window of context length {contextLength} needs.");
        }
    }

    /// <summary>The source file.</summary>
    public string FilePath { get; }

    /// <summary>Input positions per window (T).</summary>
    public int ContextLength { get; }

    /// <summary>Number of byte tokens in the file.</summary>
    public int TokenCount => _bytes.Length;

    /// <inheritdoc />
    public int Count { get; }

    /// <inheritdoc />
    public TrainingSequence this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return TrainingSequence.Unmasked(ByteTokenizer.ToTokens(_bytes.AsSpan(index * ContextLength, ContextLength + 1)));
        }
    }

    private static int FirstInvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }
            offset += consumed;
        }
        return bytes.Length;
    }
}
