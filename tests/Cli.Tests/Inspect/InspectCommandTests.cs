using ActorTrain.Cli.Tests.Config;
using ActorTrain.Model.Checkpoints;
using ActorTrain.Model.Optim;
using ActorTrain.Model.Sampling;
using Xunit;

namespace ActorTrain.Cli.Tests.Inspect;

public sealed class InspectCommandTests
{
    private static readonly FlatTensorEntry[] Entries =
    [
        new("blocks.0.attn.qkv.weight", 0, [3, 2]),
        new("ln.bias", 6, [4]),
    ];

    private static string SaveCheckpoint(string runDirectory, long step, bool withOptimizer)
    {
        var flat = Enumerable.Range(0, 10).Select(i => (float)i).ToArray();
        var state = new TrainingState
        {
            Step = step,
            Sampler = new SamplerState(1, 5),
            WorldSize = 2,
            ConfigText = "actortrain.model.preset = tiny\nactortrain.job.sync.strategy = ring\n",
        };
        OptimizerState? optimizer = withOptimizer ? new AdamW(flat.Length).ExportState() : null;
        return new CheckpointStore(runDirectory).Save(state, Entries, flat, optimizer);
    }

    [Fact]
    public void Checkpoint_directory_shows_step_tensors_parameter_count_and_optimizer_state()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveCheckpoint(dir.Path, 12, withOptimizer: true);

        var result = CliRun.Run("inspect", checkpoint);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Matches(@"step\s*│\s*12\b", result.Stdout);
        Assert.Matches(@"blocks\.0\.attn\.qkv\.weight\s*│\s*F32\s*│\s*\[3,2\]", result.Stdout);
        Assert.Matches(@"ln\.bias\s*│\s*F32\s*│\s*\[4\]", result.Stdout);
        Assert.Contains("parameters: 10", result.Stdout);
        Assert.Contains("actortrain.model.preset", result.Stdout);
        Assert.Contains("optimizer state: present (adamw", result.Stdout);
    }

    [Fact]
    public void Run_directory_shows_its_latest_complete_checkpoint_and_a_missing_optimizer()
    {
        using var dir = new TempDirectory();
        SaveCheckpoint(dir.Path, 3, withOptimizer: true);
        SaveCheckpoint(dir.Path, 7, withOptimizer: false);

        var result = CliRun.Run("inspect", dir.Path);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("latest complete checkpoint is step-000007", result.Stdout);
        Assert.Contains("optimizer state: absent", result.Stdout);
    }

    [Fact]
    public void Safetensors_file_lists_its_tensors()
    {
        using var dir = new TempDirectory();
        string checkpoint = SaveCheckpoint(dir.Path, 1, withOptimizer: false);

        var result = CliRun.Run("inspect", Path.Combine(checkpoint, Checkpoint.ModelFileName));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Contains("blocks.0.attn.qkv.weight", result.Stdout);
        Assert.Contains("parameters: 10", result.Stdout);
    }

    [Fact]
    public void A_corrupted_checkpoint_exits_1_naming_the_file_and_a_run_directory_falls_back_with_a_warning()
    {
        using var dir = new TempDirectory();
        SaveCheckpoint(dir.Path, 3, withOptimizer: true);
        string damaged = SaveCheckpoint(dir.Path, 7, withOptimizer: true);
        string model = Path.Combine(damaged, Checkpoint.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        bytes[^2] ^= 0x01; // inside the last tensor's data: still a well-formed safetensors file
        File.WriteAllBytes(model, bytes);

        var direct = CliRun.Run("inspect", damaged);
        Assert.Equal(1, direct.ExitCode);
        Assert.Contains(model, direct.Stderr);
        Assert.Contains("corrupted", direct.Stderr);

        var run = CliRun.Run("inspect", dir.Path);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains("warning: skipping a damaged checkpoint", run.Stdout);
        Assert.Contains("latest complete checkpoint is step-000003", run.Stdout);
        Assert.Contains("integrity: every file matches manifest.json", run.Stdout);
    }

    [Fact]
    public void Missing_path_exits_1_with_a_message_naming_it()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "nope");

        var result = CliRun.Run("inspect", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Stderr);
    }
}
