using System.CommandLine;

namespace ActorTrain.Cli.Commands;

/// <summary>Every verb of <c>actortrain</c>, in the order <c>--help</c> lists them.</summary>
public static class CommandCatalog
{
    /// <summary>Builds the verbs.</summary>
    public static IEnumerable<Command> All()
    {
        // One line per verb; each verb lives in its own file in this folder.
        yield return TrainCommand.Create();
        yield return FinetuneCommand.Create();
        yield return DataCommand.Create();
        yield return NodeCommand.Create();
        yield return SimulateCommand.Create();
        yield return ConfigCommand.Create();
        yield return InspectCommand.Create();
        yield return PlotCommand.Create();
        yield return BenchCommand.Create();
        yield return CertCommand.Create();
    }
}
