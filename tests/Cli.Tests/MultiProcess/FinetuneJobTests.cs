using System.Globalization;
using System.Text.RegularExpressions;
using ActorTrain.Model.Checkpoints;
using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

/// <summary>
/// Fine-tuning through the real executable: a tiny base pretrained by <c>actortrain train</c>, instruction data written by
/// <c>actortrain data arithmetic-chat</c>, then <c>actortrain finetune</c> in one process and the same job
/// (<c>job.kind = finetune</c>) through a two-node <c>simulate</c>.
/// </summary>
[Collection(MultiProcessCollection.Name)]
public sealed partial class FinetuneJobTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private const int Steps = 3, GlobalBatch = 8;

    /// <summary>A model whose byte vocabulary and 64-token context hold the chat template; few steps, no evaluation.</summary>
    private static IEnumerable<string> Model(string runDir, int steps, int microBatch) =>
    [
        $"actortrain.job.run-dir={runDir}",
        "actortrain.job.join-timeout=30s",
        "actortrain.model.preset=custom",
        "actortrain.model.vocab-size=256",
        "actortrain.model.context=64",
        "actortrain.model.width=32",
        "actortrain.model.layers=1",
        "actortrain.model.heads=2",
        "actortrain.model.device=cpu",
        "actortrain.data.val-size=16",
        "actortrain.train.eval-samples=16",
        "actortrain.train.eval-every=0",
        $"actortrain.train.steps={steps}",
        "actortrain.train.warmup-steps=1",
        $"actortrain.train.micro-batch-size={microBatch}",
        "actortrain.train.lr=1e-2",
        "actortrain.train.log-every=1",
        "actortrain.train.save-every=0",
        "actortrain.train.threads=1",
    ];

    /// <summary>Pretrains the tiny base for a few steps (arithmetic) and writes 64 conversations; returns (checkpoint, jsonl).</summary>
    private static (string Base, string Data) PrepareBaseAndData(string temp)
    {
        using var processes = new ActortrainProcesses();
        var baseRun = Path.Combine(temp, "base");
        var train = processes.Start("train", ["train", .. TinyJob.AsArguments([.. Model(baseRun, 4, 8), "actortrain.data.train-size=256"])]);
        Assert.True(processes.WaitForExit("train", train, RunTimeout) == 0, processes.Output("train"));
        var data = Path.Combine(temp, "chat.jsonl");
        var write = processes.Start("data", ["data", "arithmetic-chat", "--out", data, "--count", "64"]);
        Assert.True(processes.WaitForExit("data", write, RunTimeout) == 0, processes.Output("data"));
        return (new CheckpointStore(baseRun).DirectoryOf(4), data);
    }

    [Fact]
    public void Finetune_verb_turns_a_base_checkpoint_and_jsonl_into_an_adapter_and_a_merged_export_and_prints_exact_match()
    {
        using var temp = new TempDirectory();
        var (basePath, data) = PrepareBaseAndData(temp.Path);
        using var processes = new ActortrainProcesses();
        var runDir = Path.Combine(temp.Path, "ft");
        var finetune = processes.Start("finetune", ["finetune", "--base", basePath, "--data", data, "--lora-rank", "4", .. TinyJob.AsArguments(Model(runDir, Steps, GlobalBatch))]);
        Assert.True(processes.WaitForExit("finetune", finetune, RunTimeout) == 0, processes.Output("finetune"));

        var output = processes.Output("finetune");
        Assert.Matches(BeforeAfter(), output);
        var export = Path.Combine(runDir, "export");
        using (var merged = SafeTensorsReader.Open(Path.Combine(export, "merged.safetensors")))
        {
            Assert.Contains(merged.Tensors, t => t.Name == "blocks.0.qkv.weight");
            Assert.DoesNotContain(merged.Tensors, t => t.Name.Contains("lora_", StringComparison.Ordinal));
        }
        using (var adapter = SafeTensorsReader.Open(Path.Combine(export, "adapter", LoraExport.AdapterWeightsFile)))
        {
            var a = adapter.Tensors.Single(t => t.Name == "base_model.model.blocks.0.qkv.lora_A.weight");
            Assert.Equal([4L, 32L], a.Shape);
            // B starts at zero; after three steps it has moved.
            Assert.Contains(adapter.ReadFloat32("base_model.model.blocks.0.qkv.lora_B.weight"), v => v != 0f);
        }
        Assert.True(File.Exists(Path.Combine(export, "adapter", LoraExport.AdapterConfigFile)));
    }

    [Fact]
    public void Two_node_simulate_of_a_jsonl_finetune_job_ends_with_the_adapter_of_the_one_process_run()
    {
        using var temp = new TempDirectory();
        var (basePath, data) = PrepareBaseAndData(temp.Path);
        string[] job = ["actortrain.job.kind=finetune", $"actortrain.finetune.base={basePath}", "actortrain.finetune.lora.rank=4",
            "actortrain.data.source=jsonl", $"actortrain.data.path={data}", "actortrain.data.train-size=0"];

        using var processes = new ActortrainProcesses();
        var single = Path.Combine(temp.Path, "single");
        var one = processes.Start("single", ["finetune", "--base", basePath, "--data", data, "--lora-rank", "4", .. TinyJob.AsArguments(Model(single, Steps, GlobalBatch))]);
        Assert.True(processes.WaitForExit("single", one, RunTimeout) == 0, processes.Output("single"));
        // Two nodes of one rank each, half the micro-batch each: the same global batch, sampled as DistributedSampler splits it.
        var cluster = Path.Combine(temp.Path, "cluster");
        var simulate = processes.Start("simulate", ["simulate", "--nodes", "2", .. TinyJob.AsArguments([.. Model(cluster, Steps, GlobalBatch / 2), .. job])]);
        Assert.True(processes.WaitForExit("simulate", simulate, RunTimeout) == 0, processes.Output("simulate"));

        using var reference = SafeTensorsReader.Open(Path.Combine(single, "export", "adapter", LoraExport.AdapterWeightsFile));
        using var distributed = SafeTensorsReader.Open(Path.Combine(cluster, "export", "adapter", LoraExport.AdapterWeightsFile));
        Assert.Equal(reference.Tensors.Select(t => t.Name).Order(), distributed.Tensors.Select(t => t.Name).Order());
        double diff = 0, norm = 0;
        foreach (var tensor in reference.Tensors)
        {
            float[] a = reference.ReadFloat32(tensor.Name), b = distributed.ReadFloat32(tensor.Name);
            for (var i = 0; i < a.Length; i++) { diff += Math.Pow((double)a[i] - b[i], 2); norm += (double)a[i] * a[i]; }
        }
        var relative = Math.Sqrt(diff / norm);
        Assert.True(relative <= 1e-5, string.Create(CultureInfo.InvariantCulture, $"‖simulate − single‖/‖single‖ over the adapter = {relative:E2}"));
    }

    [GeneratedRegex(@"exact-match before fine-tuning \d+(\.\d)? ?%, after \d+(\.\d)? ?%")]
    private static partial Regex BeforeAfter();
}
