using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.SharedMemory;

/// <summary>A rank announced a different collective in the arena than this rank is running.</summary>
internal sealed class ArenaMismatchException(int rank, CollectiveHeader announced)
    : Exception($"rank {rank} called {announced.Describe()}")
{
    /// <summary>The disagreeing rank.</summary>
    public int Rank { get; } = rank;

    /// <summary>What that rank called.</summary>
    public CollectiveHeader Announced { get; } = announced;
}
