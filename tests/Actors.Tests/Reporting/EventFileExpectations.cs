using System.Text.Json;
using ActorTrain.Actors.Reporting;
using Xunit;

namespace ActorTrain.Actors.Tests.Reporting;

/// <summary>
/// What a run directory's TensorBoard event file must hold, derived from metrics.jsonl's raw JSON (not through
/// <see cref="TrainingEvent"/> or the writer's own tag table): one scalar per logged field, at the same step, equal as float32.
/// </summary>
internal static class EventFileExpectations
{
    private static readonly (string Field, string Tag)[] StepFields =
    [
        ("loss", "train/loss"), ("lr", "train/lr"), ("grad_norm", "train/grad_norm"), ("tokens_per_s", "throughput/tokens_per_s"),
        ("compute_s", "step_time/compute_s"), ("sync_wait_s", "step_time/sync_wait_s"), ("optimizer_s", "step_time/optimizer_s"),
    ];

    private static readonly (string Field, string Tag)[] EvalFields = [("val_loss", "val/loss"), ("exact_match", "val/exact_match")];

    /// <summary>(tag, step, value) from metrics.jsonl, sorted.</summary>
    public static List<(string Tag, long Step, float Value)> FromMetrics(string runDir)
    {
        var expected = new List<(string, long, float)>();
        foreach (var line in File.ReadLines(Path.Combine(runDir, "metrics.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var kind = root.GetProperty("kind").GetString();
            var step = root.GetProperty("step").GetInt64();
            var fields = kind == "step" ? StepFields : kind == "eval" ? EvalFields : [];
            foreach (var (field, tag) in fields)
                if (root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number) expected.Add((tag, step, (float)v.GetDouble()));
            if (kind == "step" && root.TryGetProperty("layer_grad_norms", out var layers) && layers.ValueKind == JsonValueKind.Object)
                foreach (var layer in layers.EnumerateObject()) expected.Add(("grad_norm/" + layer.Name, step, (float)layer.Value.GetDouble()));
        }
        return Sorted(expected);
    }

    /// <summary>(tag, step, value) of every scalar in the run directory's single event file, sorted; checks its framing and first record.</summary>
    public static List<(string Tag, long Step, float Value)> FromEventFile(string runDir)
    {
        var files = Directory.GetFiles(runDir, TensorBoardWriter.FilePrefix + "*");
        Assert.True(files.Length == 1, $"expected one event file in {runDir}, found: {string.Join(", ", files.Select(Path.GetFileName))}");
        var events = TfRecordEventReader.Read(files[0]);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var e in events.Skip(1))
            Assert.True(e.WallTime > now - 3600 && e.WallTime <= now + 60, $"wall time {e.WallTime} is not Unix seconds of this run");
        return Sorted([.. events.Skip(1).SelectMany(e => e.Scalars.Select(s => (s.Tag, e.Step, s.Value)))]);
    }

    private static List<(string, long, float)> Sorted(List<(string Tag, long Step, float Value)> list) =>
        [.. list.OrderBy(x => x.Tag, StringComparer.Ordinal).ThenBy(x => x.Step).ThenBy(x => x.Value)];
}
