using Xunit;

namespace ActorTrain.Cli.Tests.MultiProcess;

/// <summary>Tests that start several processes run one at a time: they share few cores, and their bounds assume it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiProcessCollection
{
    public const string Name = "multi-process";
}
