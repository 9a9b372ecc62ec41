using System.Text.Json;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Reads <c>metrics.jsonl</c>, also while rank 0 is still appending to it and after a crash: a line that is not a
/// complete event (a process killed mid-write leaves a torn last line) is skipped and described in
/// <see cref="MetricsFile.Problems"/>.
/// </summary>
public static class MetricsJsonlReader
{
    /// <summary>The file's events in order, and a description of every line that was skipped.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MetricsFile Read(string path)
    {
        var events = new List<TrainingEvent>();
        var problems = new List<string>();
        // ReadWrite sharing: rank 0 keeps the file open for appending while checkpoints redraw the plots from it.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                if (JsonSerializer.Deserialize<TrainingEvent>(line) is { } e) events.Add(e);
                else problems.Add($"{path}:{number}: not an event (null)");
            }
            catch (JsonException)
            {
                var what = reader.Peek() < 0 ? "an incomplete last line (the run stopped while writing it)" : "not a JSON event";
                problems.Add($"{path}:{number}: skipped {what}");
            }
        }
        return new MetricsFile(events, problems);
    }
}

/// <summary>The events of a metrics file and the lines that could not be read.</summary>
/// <param name="Events">Every complete event, in file order.</param>
/// <param name="Problems">One "file:line: what" per skipped line.</param>
public sealed record MetricsFile(IReadOnlyList<TrainingEvent> Events, IReadOnlyList<string> Problems);
