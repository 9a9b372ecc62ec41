using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrain.Actors.Settings;
using ActorTrain.Model.Checkpoints;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Job;

/// <summary>One restart of an elastic job, as recorded in <c>restarts.jsonl</c> of the run directory.</summary>
public sealed record RestartRecord
{
    /// <summary>When the restarted job's rendezvous completed (UTC).</summary>
    [JsonPropertyName("time")] public DateTime Time { get; init; }

    /// <summary>1 for the first restart, and so on.</summary>
    [JsonPropertyName("attempt")] public int Attempt { get; init; }

    /// <summary>What ended the previous attempt (names the lost node).</summary>
    [JsonPropertyName("cause")] public string Cause { get; init; } = "";

    /// <summary>Cluster addresses of the nodes lost.</summary>
    [JsonPropertyName("lost_nodes")] public string[] LostNodes { get; init; } = [];

    /// <summary>Nodes in the restarted job.</summary>
    [JsonPropertyName("nodes")] public int Nodes { get; init; }

    /// <summary>Ranks in the restarted job.</summary>
    [JsonPropertyName("world_size")] public int WorldSize { get; init; }

    /// <summary>Accumulation steps in the restarted job (raised when it has fewer nodes).</summary>
    [JsonPropertyName("grad_accum_steps")] public int GradAccumSteps { get; init; }

    /// <summary>Step of the last complete checkpoint the ranks resume from; null when none was written (step 0).</summary>
    [JsonPropertyName("resumed_from_step")] public long? ResumedFromStep { get; init; }
}

/// <summary>
/// <c>restarts.jsonl</c> in the run directory: one <see cref="RestartRecord"/> per line, written by the node hosting
/// rank 0 once a restarted job's rendezvous completed. The file is rewritten atomically (temp file + rename) with the new
/// line appended, so a crash never leaves half a line; <c>actortrain inspect</c> lists it.
/// </summary>
public static class RestartLog
{
    /// <summary>The file name in the run directory.</summary>
    public const string FileName = "restarts.jsonl";

    /// <summary>Appends the record of <paramref name="restart"/> (the attempt's shape from <paramref name="settings"/>).</summary>
    internal static void Record(string runDir, RestartContext restart, RendezvousTable table, ActorTrainSettings settings, ILogger log)
    {
        var record = new RestartRecord
        {
            Time = DateTime.UtcNow,
            Attempt = restart.Attempt,
            Cause = restart.Cause,
            LostNodes = restart.LostNodes,
            Nodes = table.Ranks.Select(r => r.NodeAddress).Distinct(StringComparer.Ordinal).Count(),
            WorldSize = table.Ranks.Length,
            GradAccumSteps = settings.Train.GradAccumSteps,
            ResumedFromStep = new CheckpointStore(runDir).LatestStep(),
        };
        try
        {
            Append(runDir, record);
            log.LogWarning("Restart {Attempt}: {Nodes} node(s), {World} rank(s), resuming from {Step}; recorded in {File}",
                record.Attempt, record.Nodes, record.WorldSize,
                record.ResumedFromStep is { } s ? $"the checkpoint of step {s}" : "step 0 (no checkpoint yet)", Path.Combine(runDir, FileName));
        }
        catch (IOException e) { log.LogWarning("Could not record the restart in {RunDir}: {Reason}", runDir, e.Message); }
    }

    /// <summary>Appends <paramref name="record"/> to the run directory's restarts.jsonl.</summary>
    public static void Append(string runDir, RestartRecord record)
    {
        Directory.CreateDirectory(runDir);
        string path = Path.Combine(runDir, FileName);
        string existing = File.Exists(path) ? File.ReadAllText(path) : "";
        if (existing.Length > 0 && !existing.EndsWith('\n')) existing += "\n";
        AtomicFile.WriteAllText(path, existing + JsonSerializer.Serialize(record) + "\n");
    }

    /// <summary>The restarts recorded in <paramref name="runDir"/> (empty when there were none).</summary>
    /// <exception cref="InvalidDataException">A line is not a restart record; the message names the file and line.</exception>
    public static IReadOnlyList<RestartRecord> Read(string runDir)
    {
        string path = Path.Combine(runDir, FileName);
        if (!File.Exists(path)) return [];
        var records = new List<RestartRecord>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0) continue;
            try { records.Add(JsonSerializer.Deserialize<RestartRecord>(line) ?? throw new JsonException("null")); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{number}: not a restart record: {e.Message}", e); }
        }
        return records;
    }
}
