using System.Text.Json;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// The stdout line format of training events, so a parent process (simulate) can tell events from log text:
/// <c>@@actortrain {json}</c>.
/// </summary>
public static class EventLine
{
    /// <summary>The prefix that marks an event line.</summary>
    public const string Prefix = "@@actortrain ";

    /// <summary>Formats an event as one line.</summary>
    public static string Format(TrainingEvent e) => Prefix + JsonSerializer.Serialize(e);

    /// <summary>Parses a line; false when it is not an event line (ordinary output) or not valid JSON.</summary>
    public static bool TryParse(string line, out TrainingEvent? e)
    {
        e = null;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        try { e = JsonSerializer.Deserialize<TrainingEvent>(line.AsSpan(Prefix.Length)); }
        catch (JsonException) { return false; }
        return e is not null;
    }
}
