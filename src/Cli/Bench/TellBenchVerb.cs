using System.CommandLine;
using ActorTrain.Cluster.Kernel;
using Spectre.Console;

namespace ActorTrain.Cli.Bench;

/// <summary><c>actortrain bench tell</c>: in-process Tell throughput of the actor kernel, beside Akka.NET's published figure.</summary>
public static class TellBenchVerb
{
    /// <summary>Akka.NET's published in-process figure (not measured here).</summary>
    public const string AkkaAnchor = "≈10 M msg/s on 12–16 cores (Akka.NET's published figure, not measured here)";

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var messages = new Option<long>("--messages") { Description = "Messages told in total.", DefaultValueFactory = _ => 10_000_000 };
        var senders = new Option<int>("--senders") { Description = "Concurrent telling threads.", DefaultValueFactory = _ => 1 };
        var command = new Command("tell", "In-process Tell throughput (one receiving actor), beside Akka.NET's published figure.") { messages, senders };
        command.SetAction(parse => GuardedAction.RunAsync(async () =>
        {
            var result = await TellThroughputBench.RunAsync(parse.GetValue(messages), parse.GetValue(senders));
            Console.WriteLine($"actortrain tell messages={result.Messages} senders={result.Senders} sec={BenchFormat.F(result.Elapsed.TotalSeconds, "0.000")} " +
                $"msgs_per_s={BenchFormat.F(result.MessagesPerSecond, "0")} cores={result.ProcessorCount}");
            var table = new Table().Title("in-process Tell throughput").AddColumn("system").AddColumn(new TableColumn("throughput").RightAligned()).AddColumn("machine");
            table.AddRow("ActorTrain (measured now)", $"{BenchFormat.F(result.MessagesPerSecond / 1e6, "0.00")} M msg/s",
                $"{result.ProcessorCount} cores, {result.Senders} sender(s)");
            table.AddRow("Akka.NET (published, not measured here)", "≈10 M msg/s", "12–16 cores");
            table.Caption("the Akka.NET row is a reference figure from its documentation, on different hardware");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
