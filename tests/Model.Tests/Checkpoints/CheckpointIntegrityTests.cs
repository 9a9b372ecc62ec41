using System.Text;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using Xunit;

namespace ActorTrain.Model.Tests.Checkpoints;

public sealed class CheckpointIntegrityTests
{
    private static readonly FlatTensorEntry[] Entries = [new("head.weight", 0, [8, 4]), new("tok.weight", 32, [16, 4])];
    private const int Total = 96;

    private static float[] Parameters(int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, Total).Select(_ => (float)r.NextDouble()).ToArray();
    }

    private static TrainingState State(long step) => new()
    {
        Step = step,
        Sampler = new SamplerState(0, 3),
        WorldSize = 2,
        Schedule = new LearningRateSchedule(0, 1e-3, 1e-4, 10, 1000),
        ConsumedTokens = 99,
        ConfigText = "actortrain {}\n",
    };

    private static (CheckpointStore Store, TempDirectory Dir) TwoCheckpoints()
    {
        var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path);
        var adamw = new AdamW(Total);
        adamw.Step(Parameters(1), Parameters(2), 1e-3);
        store.Save(State(10), Entries, Parameters(10), adamw.ExportState());
        store.Save(State(20), Entries, Parameters(20), adamw.ExportState());
        return (store, dir);
    }

    [Fact]
    public void A_flipped_byte_inside_tensor_data_is_refused_naming_the_file()
    {
        var (store, dir) = TwoCheckpoints();
        using var _ = dir;
        var model = Path.Combine(store.DirectoryOf(20), Checkpoint.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        // The last float of tok.weight: flipping its exponent's top bit turns ~0.5 into ~1.7e38 — still a valid file.
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(model, bytes);
        var e = Assert.Throws<CheckpointIntegrityException>(() => store.Open(20));
        Assert.Equal(model, e.FilePath);
        Assert.Contains("corrupted", e.Message);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void An_edited_step_in_state_json_is_refused()
    {
        var (store, dir) = TwoCheckpoints();
        using var _ = dir;
        var state = Path.Combine(store.DirectoryOf(20), Checkpoint.StateFileName);
        var text = File.ReadAllText(state);
        Assert.Contains("\"step\": 20", text);
        File.WriteAllText(state, text.Replace("\"step\": 20", "\"step\": 90"), new UTF8Encoding(false));
        var e = Assert.Throws<CheckpointIntegrityException>(() => store.Open(20));
        Assert.Equal(state, e.FilePath);
    }

    [Fact]
    public void A_missing_optimizer_file_is_refused()
    {
        var (store, dir) = TwoCheckpoints();
        using var _ = dir;
        var optimizer = Path.Combine(store.DirectoryOf(20), Checkpoint.OptimizerFileName);
        File.Delete(optimizer);
        var e = Assert.Throws<CheckpointIntegrityException>(() => store.Open(20));
        Assert.Contains($"{optimizer} is missing", e.Message);
    }

    [Fact]
    public void Resume_latest_falls_back_to_the_newest_intact_checkpoint_with_a_warning_and_keeps_the_damaged_one()
    {
        var (store, dir) = TwoCheckpoints();
        using var _ = dir;
        var model = Path.Combine(store.DirectoryOf(20), Checkpoint.ModelFileName);
        using (var f = new FileStream(model, FileMode.Open)) f.SetLength(f.Length - 100);
        var warnings = new List<string>();
        var checkpoint = store.Resolve("latest", warnings.Add);
        Assert.Equal(10, checkpoint.State.Step);
        Assert.Contains(model, Assert.Single(warnings));

        // Training on from step 10 saves step 20 again: the damaged one is set aside, not overwritten.
        store.Save(State(20), Entries, Parameters(21), null);
        Assert.Equal(20, store.Resolve("latest").State.Step);
        var setAside = store.DirectoryOf(20) + ".damaged";
        Assert.True(File.Exists(Path.Combine(setAside, Checkpoint.ModelFileName)));
        Assert.Throws<CheckpointIntegrityException>(() => Checkpoint.Open(setAside));
    }

    [Fact]
    public void Without_any_intact_checkpoint_resume_latest_names_the_run_directory()
    {
        var (store, dir) = TwoCheckpoints();
        using var _ = dir;
        foreach (var step in new[] { 10L, 20L })
            File.AppendAllText(Path.Combine(store.DirectoryOf(step), Checkpoint.StateFileName), " ");
        var warnings = new List<string>();
        var e = Assert.Throws<DirectoryNotFoundException>(() => store.Resolve("latest", warnings.Add));
        Assert.Contains(dir.Path, e.Message);
        Assert.Equal(2, warnings.Count);
    }
}
