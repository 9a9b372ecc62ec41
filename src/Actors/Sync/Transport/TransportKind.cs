namespace ActorTrain.Actors.Sync.Transport;

/// <summary>How two ranks exchange collective data.</summary>
public enum TransportKind
{
    /// <summary>Shared memory between ranks on the same machine, TCP otherwise.</summary>
    Auto = 0,

    /// <summary>TCP for every pair (the setting that forces TCP).</summary>
    Tcp = 1,

    /// <summary>Shared memory for every pair; fails when two ranks are not on the same machine.</summary>
    SharedMemory = 2,

    /// <summary>Akka messages through Akka.Remote for every pair (needs the node's actor system); slower, the pure actor path.</summary>
    Akka = 3,
}
