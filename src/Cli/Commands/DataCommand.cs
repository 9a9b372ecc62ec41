using System.CommandLine;
using ActorTrain.Model.Data;

namespace ActorTrain.Cli.Commands;

/// <summary><c>actortrain data arithmetic-chat --out FILE</c>: writes the instruction-form arithmetic of the fine-tuning example.</summary>
public static class DataCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "JSONL file to write", Required = true };
        var count = new Option<int>("--count") { Description = "Number of conversations", DefaultValueFactory = _ => 4000 };
        var maxOperand = new Option<int>("--max-operand") { Description = "Largest operand of a + b", DefaultValueFactory = _ => 99 };
        var seed = new Option<long>("--seed") { Description = "Seed of the problems' order", DefaultValueFactory = _ => 7 };
        var chat = new Command("arithmetic-chat", "Write sums as JSONL conversations: {\"user\": \"What is 27 plus 15?\", \"assistant\": \"42\"}.")
        {
            output, count, maxOperand, seed,
        };
        chat.SetAction(parse =>
        {
            var file = parse.GetValue(output)!;
            var n = parse.GetValue(count);
            if (n < 1) { Console.Error.WriteLine("error: --count must be at least 1"); return 1; }
            var lines = ArithmeticInstructions.Lines(parse.GetValue(seed), parse.GetValue(maxOperand), n).ToList();
            if (file.DirectoryName is { } dir) Directory.CreateDirectory(dir);
            File.WriteAllLines(file.FullName, lines);
            Console.Out.WriteLine($"wrote {lines.Count} conversations to {file.FullName}");
            return 0;
        });
        return new Command("data", "Make datasets for the examples.") { chat };
    }
}
