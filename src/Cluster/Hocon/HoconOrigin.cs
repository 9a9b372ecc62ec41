namespace ActorTrain.Cluster.Hocon;

/// <summary>Where a HOCON value was written: a file (or a description such as "command line --set") plus a 1-based line and column.</summary>
/// <param name="Source">File path or description of the source.</param>
/// <param name="Line">1-based line, 0 when the source has no lines (environment variables, --set).</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
public readonly record struct HoconOrigin(string Source, int Line, int Column)
{
    /// <summary>Origin used for values created in code.</summary>
    public static HoconOrigin Unknown { get; } = new("<unknown>", 0, 0);

    /// <summary>"file:line" (or just the source when there is no line), the form used in error messages.</summary>
    public override string ToString() => Line > 0 ? $"{Source}:{Line}" : Source;

    /// <summary>"file:line:column".</summary>
    public string ToStringWithColumn() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}
