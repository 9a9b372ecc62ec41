using System.CommandLine;
using ActorTrain.Cli.Bench;

namespace ActorTrain.Cli.Commands;

/// <summary><c>actortrain bench</c>: benchmarks that run ActorTrain beside its peers (PyTorch, gloo, Akka.NET's figures).</summary>
public static class BenchCommand
{
    /// <summary>Builds the verb and its sub-verbs (plus the hidden worker verbs the benchmarks start).</summary>
    public static Command Create() => new("bench", "Benchmarks: ActorTrain beside PyTorch DDP, torch.distributed gloo and Akka.NET's published figures.")
    {
        AllReduceBenchVerb.Create(),
        DdpBenchVerb.Create(),
        TrainBenchVerb.Create(),
        FinetuneBenchVerb.Create(),
        OpsBenchVerb.Create(),
        PingPongBenchVerb.Create(),
        AllReduceBenchVerb.CreateWorker(),
        DdpBenchVerb.CreateWorker(),
        PingPongBenchVerb.CreateServer(),
    };
}
