using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

/// <summary>Tests that read the process-wide live native tensor count run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveTensorCountCollection
{
    public const string Name = "live native tensor count";
}
