using System.Text.Json;

namespace ActorTrain.Actors.Reporting;

/// <summary>
/// Appends events to <c>metrics.jsonl</c> in the run directory, one JSON object per line, flushed per line so a
/// crash loses at most the line being written. On resume the file is truncated back to the resumed step so the
/// metrics of a resumed run equal those of an uninterrupted one.
/// </summary>
public sealed class MetricsJsonlWriter : IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Opens (creating directories) <paramref name="path"/>; keeps only events with step ≤ <paramref name="keepUpToStep"/>
    /// (read with <see cref="MetricsJsonlReader"/>, so a torn last line from a crash is dropped).</summary>
    public MetricsJsonlWriter(string path, long keepUpToStep = long.MaxValue)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        Kept = keepUpToStep != long.MaxValue && File.Exists(path)
            ? [.. MetricsJsonlReader.Read(path).Events.Where(e => e.Step <= keepUpToStep)]
            : [];
        var append = keepUpToStep == long.MaxValue;
        _writer = new StreamWriter(path, append) { AutoFlush = true };
        if (!append) foreach (var e in Kept) Write(e);
    }

    /// <summary>The events kept from an earlier attempt when the file was cut back to the resumed step (empty otherwise).</summary>
    public IReadOnlyList<TrainingEvent> Kept { get; }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Appends one event.</summary>
    public void Write(TrainingEvent e) => _writer.WriteLine(JsonSerializer.Serialize(e));

    /// <summary>Reads every complete event of a metrics file (torn or foreign lines skipped; see <see cref="MetricsJsonlReader"/>).</summary>
    public static List<TrainingEvent> ReadAll(string path) => [.. MetricsJsonlReader.Read(path).Events];

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
