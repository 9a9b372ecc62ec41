namespace ActorTrain.Cluster.Hocon;

/// <summary>A HOCON document could not be parsed; the message names the file, line and column and what was expected.</summary>
public sealed class HoconParseException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="origin"/>.</summary>
    public HoconParseException(HoconOrigin origin, string problem, Exception? inner = null)
        : base($"{origin.ToStringWithColumn()}: {problem}", inner)
    {
        Origin = origin;
        Problem = problem;
    }

    /// <summary>Where parsing failed.</summary>
    public HoconOrigin Origin { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Problem { get; }

    /// <summary>File (or source description) that failed.</summary>
    public string File => Origin.Source;

    /// <summary>1-based line.</summary>
    public int Line => Origin.Line;

    /// <summary>1-based column.</summary>
    public int Column => Origin.Column;
}
