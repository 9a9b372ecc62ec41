namespace ActorTrain.Actors.Sync.Transport;

/// <summary>The data channel one link uses (chosen per link from the <see cref="TransportKind"/> and where the peer runs).</summary>
internal enum LinkChannel
{
    /// <summary>A second TCP connection (<see cref="TcpDataChannel"/>).</summary>
    Tcp,

    /// <summary>Rings in a shared-memory file (<see cref="SharedMemoryChannel"/>).</summary>
    SharedMemory,

    /// <summary>Akka messages between two link actors (<see cref="AkkaLink.AkkaDataChannel"/>).</summary>
    Akka,
}
