using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

public class CheckpointStoreTests
{
    // Reverse registration order, as the flat buffer is laid out: head first, embedding last.
    private static readonly FlatTensorEntry[] Entries =
    [
        new("head.weight", 0, [8, 4]),
        new("blocks.0.qkv.weight", 32, [12, 4]),
        new("blocks.0.qkv.bias", 80, [12]),
        new("embed.weight", 92, [16, 4]),
    ];

    private const int Total = 156;

    private static float[] Parameters(int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, Total).Select(_ => (float)r.NextDouble()).ToArray();
    }

    private static (AdamW Optimizer, float[] Params) Trained()
    {
        var p = Parameters(1);
        var adamw = new AdamW(Total, new AdamWOptions(WeightDecay: 0.1), [new(80, 12, 0)]);
        for (var s = 0; s < 3; s++)
        {
            adamw.Step(p, Parameters(10 + s), 1e-2);
        }
        return (adamw, p);
    }

    private static TrainingState State(long step) => new()
    {
        Step = step,
        Sampler = new SamplerState(2, 17),
        WorldSize = 4,
        Schedule = new LearningRateSchedule(0, 1e-3, 1e-4, 10, 1000),
        RngStates = new() { ["data"] = new DeterministicRandom(5).ExportState(), ["torch"] = [1, 2, 3, 255] },
        ConsumedTokens = 123456,
        ConfigText = "actortrain { model = gpt-bench }\n",
    };

    [Fact]
    public void A_saved_checkpoint_restores_weights_optimizer_and_state_exactly()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(Path.Combine(dir.Path, "runs", "x"));
        var (adamw, p) = Trained();
        var path = store.Save(State(120), Entries, p, adamw.ExportState());
        Assert.EndsWith("step-000120", path);

        var checkpoint = store.OpenLatest()!;
        var restored = new float[Total];
        checkpoint.LoadModel(Entries, restored);
        Assert.Equal(p, restored);
        var fresh = new AdamW(Total, new AdamWOptions(WeightDecay: 0.1), [new(80, 12, 0)]);
        fresh.ImportState(checkpoint.LoadOptimizer(Entries, Total, "adamw"));
        var g = Parameters(99);
        var p2 = (float[])restored.Clone();
        adamw.Step(p, g, 1e-2);
        fresh.Step(p2, g, 1e-2);
        Assert.Equal(p, p2);

        var state = checkpoint.State;
        Assert.Equal(120, state.Step);
        Assert.Equal(new SamplerState(2, 17), state.Sampler);
        Assert.Equal(new LearningRateSchedule(0, 1e-3, 1e-4, 10, 1000), state.Schedule);
        Assert.Equal(new DeterministicRandom(5).ExportState(), state.RngStates["data"]);
        Assert.Equal([1, 2, 3, 255], state.RngStates["torch"]);
        Assert.Equal("actortrain { model = gpt-bench }\n", state.ConfigText);
        Assert.Equal(123456, state.ConsumedTokens);
    }

    [Fact]
    public void Weights_are_stored_under_their_exact_names()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        store.Save(State(1), Entries, Parameters(1), null);
        using var reader = SafeTensorsReader.Open(Path.Combine(store.DirectoryOf(1), Checkpoint.ModelFileName));
        Assert.Equal(Entries.Select(e => e.Name), reader.Tensors.Select(t => t.Name));
        Assert.False(store.Open(1).HasOptimizerState);
    }

    [Fact]
    public void Latest_is_the_highest_step_whose_state_json_was_written()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        Assert.Null(store.LatestStep());
        store.Save(State(10), Entries, Parameters(1), null);
        store.Save(State(20), Entries, Parameters(2), null);
        // An interrupted save: tensors written, state.json not yet.
        Directory.CreateDirectory(store.DirectoryOf(30));
        File.Copy(Path.Combine(store.DirectoryOf(20), Checkpoint.ModelFileName), Path.Combine(store.DirectoryOf(30), Checkpoint.ModelFileName));
        Directory.CreateDirectory(Path.Combine(dir.Path, "step-notanumber"));
        Assert.Equal(20, store.LatestStep());
        Assert.Equal([10L, 20L], store.CompleteSteps());
        Assert.Equal(20, store.Resolve("latest").State.Step);
        var interrupted = Assert.Throws<CheckpointIntegrityException>(() => store.Open(30));
        Assert.Contains("interrupted", interrupted.Message);
    }

    [Fact]
    public void Resume_latest_without_checkpoints_names_the_run_directory()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DirectoryNotFoundException>(() => new CheckpointStore(dir.Path).Resolve("latest"));
        Assert.Contains(dir.Path, e.Message);
    }

    [Fact]
    public void Retention_keeps_only_the_newest_checkpoints()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        foreach (var step in new[] { 5L, 10, 15, 20 })
        {
            store.Save(State(step), Entries, Parameters((int)step), null);
        }
        Assert.Equal([15L, 20L], store.CompleteSteps());
        Assert.False(Directory.Exists(store.DirectoryOf(5)));
    }

    [Fact]
    public void Saving_the_same_step_again_replaces_it_completely()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        store.Save(State(7), Entries, Parameters(1), null);
        store.Save(State(7) with { ConsumedTokens = 1 }, Entries, Parameters(2), null);
        var restored = new float[Total];
        store.Open(7).LoadModel(Entries, restored);
        Assert.Equal(Parameters(2), restored);
        Assert.Equal(1, store.Open(7).State.ConsumedTokens);
    }

    private static CheckpointMismatchException LoadInto(FlatTensorEntry[] expected, int total = Total)
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(Path.Combine(dir.Path, "runs", "x"));
        store.Save(State(120), Entries, Parameters(1), Trained().Optimizer.ExportState());
        var destination = Enumerable.Repeat(-1f, total).ToArray();
        var e = Assert.Throws<CheckpointMismatchException>(() => store.OpenLatest()!.LoadModel(expected, destination));
        Assert.All(destination, x => Assert.Equal(-1f, x)); // nothing loaded on a mismatch
        return e;
    }

    [Fact]
    public void A_shape_mismatch_names_file_tensor_and_both_shapes()
    {
        var other = Entries.ToArray();
        other[1] = new FlatTensorEntry("blocks.0.qkv.weight", 32, [8, 4]);
        var e = LoadInto(other);
        Assert.Equal("blocks.0.qkv.weight", e.TensorName);
        Assert.Matches(@"^checkpoint .*runs/x/step-000120/model\.safetensors: tensor 'blocks\.0\.qkv\.weight' has shape \[12,4\], model expects \[8,4\]$", e.Message);
    }

    [Fact]
    public void A_tensor_the_model_lacks_or_does_not_know_is_named()
    {
        var renamed = Entries.ToArray();
        renamed[0] = renamed[0] with { Name = "lm_head.weight" };
        Assert.Contains("tensor 'lm_head.weight' is missing", LoadInto(renamed).Message);
        Assert.Contains("tensor 'embed.weight' (F32 [16,4]) is not part of the model", LoadInto(Entries[..3], 92).Message);
    }

    [Fact]
    public void A_dtype_mismatch_is_named()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.safetensors");
        new SafeTensorsWriter().AddBFloat16("head.weight", [2], new ushort[2]).WriteFile(path);
        var e = Assert.Throws<CheckpointMismatchException>(() => ModelWeightsFile.Load(path, [new FlatTensorEntry("head.weight", 0, [2])], new float[2]));
        Assert.Contains("tensor 'head.weight' has dtype BF16, model expects F32", e.Message);
    }

    [Fact]
    public void Optimizer_state_of_another_kind_is_refused()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        store.Save(State(3), Entries, Parameters(1), Trained().Optimizer.ExportState());
        var e = Assert.Throws<CheckpointMismatchException>(() => store.Open(3).LoadOptimizer(Entries, Total, "sgd"));
        Assert.Contains("optimizer state is 'adamw', the run uses 'sgd'", e.Message);
    }

    [Fact]
    public void A_truncated_model_file_is_reported_by_path()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        store.Save(State(3), Entries, Parameters(1), null);
        var model = Path.Combine(store.DirectoryOf(3), Checkpoint.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length - 10)]);
        var e = Assert.Throws<CheckpointIntegrityException>(() => store.Open(3));
        Assert.Contains(model, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(model, e.FilePath);
    }

    [Fact]
    public void A_corrupted_state_file_is_reported_by_path()
    {
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        store.Save(State(3), Entries, Parameters(1), null);
        var statePath = Path.Combine(store.DirectoryOf(3), Checkpoint.StateFileName);
        File.WriteAllText(statePath, "{\"step\": 3, \"sampler\": ");
        var e = Assert.Throws<CheckpointIntegrityException>(() => store.Open(3));
        Assert.Contains(statePath, e.Message);
        // The state reader's own checks, for a state file that has no manifest to match.
        Assert.Contains(statePath, Assert.Throws<SafeTensorsFormatException>(() => TrainingStateFile.Read(statePath)).Message);
        File.WriteAllText(statePath, "{\"format_version\": 99, \"step\": 3}");
        Assert.Contains("format version 99", Assert.Throws<SafeTensorsFormatException>(() => TrainingStateFile.Read(statePath)).Message);
    }

    [Fact]
    public void State_json_uses_snake_case_and_base64_rng_states()
    {
        var json = TrainingStateFile.ToJson(State(1));
        Assert.Contains("\"format_version\": 1", json);
        Assert.Contains("\"consumed_tokens\": 123456", json);
        Assert.Contains("\"torch\": \"AQID/w==\"", json);
    }
}
