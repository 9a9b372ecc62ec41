namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.sync.transport</c>: how buckets move between ranks.</summary>
public enum SyncTransport
{
    /// <summary>In-process hand-off between ranks of one node, TCP between nodes ("auto").</summary>
    Auto,
    /// <summary>Always TCP ("tcp").</summary>
    Tcp,
    /// <summary>Akka messages through Akka.Remote between every pair of ranks ("akka").</summary>
    Akka,
}
