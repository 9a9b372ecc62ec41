using System.CommandLine;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain finetune --base CHECKPOINT --data FILE.jsonl [--lora-rank 8] [--nf4] [--full]</c>: fine-tunes a base model on
/// instruction data in this process, like <c>train</c> (progress, evaluation with exact-match before and after,
/// checkpoints), then exports the merged weights and the adapter. The flags are <c>--set</c>s of
/// <c>actortrain.job.kind</c>, <c>actortrain.finetune.*</c> and <c>actortrain.data.*</c>, so a config file with
/// <c>job.kind = finetune</c> runs the same job through <c>simulate</c> or <c>node</c>.
/// </summary>
public static class FinetuneCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var basePath = new Option<string>("--base") { Description = "Base weights: a checkpoint directory (run-dir/step-NNNNNN) or a .safetensors file", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Instruction data: JSONL conversations ({\"user\", \"assistant\"} or {\"messages\": [...]})", Required = true };
        var rank = new Option<int?>("--lora-rank") { Description = "LoRA rank r (actortrain.finetune.lora.rank, default 8)" };
        var nf4 = new Option<bool>("--nf4") { Description = "Store the frozen base's adapted weights as NF4 4-bit (actortrain.finetune.nf4 = on)" };
        var full = new Option<bool>("--full") { Description = "Train every parameter instead of LoRA adapters (actortrain.finetune.method = full)" };
        var config = new Option<FileInfo?>("--config") { Description = "HOCON file layered over reference.conf" };
        var sets = new Option<string[]>("--set") { Description = "Override one setting (repeatable), e.g. --set actortrain.train.steps=200", AllowMultipleArgumentsPerToken = false };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in the run directory" };
        var command = new Command("finetune", "Fine-tune a base GPT on JSONL instruction data (LoRA adapters by default) in this process.")
        {
            basePath, data, rank, nf4, full, config, sets, resume,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var overrides = new List<string>
            {
                "actortrain.job.kind=finetune",
                $"actortrain.finetune.base={Path.GetFullPath(parse.GetValue(basePath)!)}",
                "actortrain.data.source=jsonl",
                $"actortrain.data.path={parse.GetValue(data)!.FullName}",
                // File data: train on every line but the held-out val-size ones.
                "actortrain.data.train-size=0",
            };
            if (parse.GetValue(rank) is { } r) overrides.Add($"actortrain.finetune.lora.rank={r}");
            if (parse.GetValue(full)) overrides.Add("actortrain.finetune.method=full");
            if (parse.GetValue(nf4)) overrides.Add("actortrain.finetune.nf4=on");
            // The command line's own --set entries come last and win.
            overrides.AddRange(parse.GetValue(sets) ?? []);
            return TrainCommand.RunAsync(parse.GetValue(config)?.FullName, overrides, parse.GetValue(resume), "finetune", cancellationToken);
        });
        return command;
    }
}
