namespace ActorTrain.Model.Data;

/// <summary>A data file is missing, empty, not UTF-8 or malformed; the message names the file (and line).</summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetFormatException(string filePath, int? line, string message, Exception? inner = null)
        : base(line is { } l ? $"{filePath}:{l}: {message}" : $"{filePath}: {message}", inner)
    {
        FilePath = filePath;
        Line = line;
    }

    /// <summary>The data file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, when the problem is on one line.</summary>
    public int? Line { get; }
}
