using ActorTrain.Actors.Sync.Transport;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Sync;

/// <summary>
/// Settings of the sync data plane (the lead binds them from <c>actortrain.job.sync.*</c>). Defaults suit a few ranks
/// per machine on small hosts; every rank of a group must use the same <see cref="GroupName"/>,
/// <see cref="ChunkBytes"/>, <see cref="TcpChunkBytes"/> and shared-memory dimensions.
/// </summary>
public sealed record GradientSyncOptions
{
    /// <summary>Transport choice: shared memory between co-located ranks and TCP otherwise (Auto), or forced.</summary>
    public TransportKind Transport { get; init; } = TransportKind.Auto;

    /// <summary>Pipelining granularity of ring and parameter-server transfers, in bytes (multiple of 4). Default 256 KiB.</summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Chunk of the ring all-reduce when any link of the ring is TCP (then every rank uses it, so frames match), in
    /// bytes (multiple of 4). Default 4 MiB: a TCP chunk costs wake-ups and syscalls rather than buffer space, and the
    /// non-blocking pump never needs a chunk to fit the kernel buffer. Measured on loopback (4 ranks, 2 cores, 64 MiB):
    /// 80-85 ms per all-reduce with 4 MiB chunks, 110-115 ms with 256 KiB.
    /// </summary>
    public int TcpChunkBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Last-resort bound on one collective. Peer deaths are detected from connections within milliseconds; this only
    /// catches stalls (a live peer that never makes the call). Default 5 minutes: longer than any bucket transfer or
    /// rank-0 checkpoint pause on this project's models, short enough that a wedged job does not sit for hours.
    /// </summary>
    public TimeSpan CollectiveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to keep trying to reach peers while the group forms (ranks start at different times). Default 60 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Name that every connection's hello must carry; keeps two jobs on one host apart. Default "actortrain".</summary>
    public string GroupName { get; init; } = "actortrain";

    /// <summary>Where shared-memory files are created (a tmpfs). Default /dev/shm, or the temp folder when that is missing.</summary>
    public string SharedMemoryDirectory { get; init; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>Slots per shared-memory ring direction. Default 8.</summary>
    public int SharedMemorySlots { get; init; } = 8;

    /// <summary>Payload bytes per shared-memory slot (multiple of 64). Default 256 KiB.</summary>
    public int SharedMemorySlotBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// When every rank of a ring group is on one machine (and TCP is not forced), all-reduce through one shared
    /// arena that all ranks map instead of around the ring. Default true; false keeps the ring over shared-memory channels.
    /// </summary>
    public bool UseSharedMemoryArena { get; init; } = true;

    /// <summary>Bytes per rank per step of the shared-memory arena all-reduce (multiple of 64). Default 256 KiB (slots stay in cache).</summary>
    public int SharedMemoryArenaChunkBytes { get; init; } = 256 * 1024;

    /// <summary>Chunk slots of the shared-memory arena: how many chunks a rank may run ahead of the slowest one. Default 8.</summary>
    public int SharedMemoryArenaSlots { get; init; } = 8;

    /// <summary>Spin iterations (≈1 µs each) before a waiting rank sleeps on a futex. Default 50: few cores are shared by several ranks.</summary>
    public int SpinCount { get; init; } = 50;

    /// <summary>Kernel send/receive buffer size requested for TCP data sockets. Default 4 MiB.</summary>
    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long a rank that lost a connection waits for the peer's own abort notice before blaming that peer. Default 1 s.</summary>
    public TimeSpan FailureAttributionGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The actor system (with remoting) whose link actors carry the data of the <see cref="TransportKind.Akka"/>
    /// transport: the node's system in a job. Required for that transport, unused by the others.
    /// </summary>
    public ActorSystem? ActorSystem { get; init; }

    /// <summary>Where connection and failure events are logged; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (ChunkBytes < 64 || ChunkBytes % 4 != 0)
            throw new ArgumentException($"sync chunk-bytes must be a multiple of 4 and at least 64, got {ChunkBytes}", nameof(ChunkBytes));
        if (TcpChunkBytes < 64 || TcpChunkBytes % 4 != 0)
            throw new ArgumentException($"sync tcp-chunk-bytes must be a multiple of 4 and at least 64, got {TcpChunkBytes}", nameof(TcpChunkBytes));
        if (SharedMemorySlots < 2)
            throw new ArgumentException($"sync shared-memory slots must be at least 2, got {SharedMemorySlots}", nameof(SharedMemorySlots));
        if (SharedMemorySlotBytes < 64 || SharedMemorySlotBytes % 64 != 0)
            throw new ArgumentException($"sync shared-memory slot-bytes must be a positive multiple of 64, got {SharedMemorySlotBytes}", nameof(SharedMemorySlotBytes));
        if (SharedMemoryArenaChunkBytes < 64 || SharedMemoryArenaChunkBytes % 64 != 0)
            throw new ArgumentException($"sync shared-memory arena-chunk-bytes must be a positive multiple of 64, got {SharedMemoryArenaChunkBytes}", nameof(SharedMemoryArenaChunkBytes));
        if (SharedMemoryArenaSlots < 1)
            throw new ArgumentException($"sync shared-memory arena-slots must be at least 1, got {SharedMemoryArenaSlots}", nameof(SharedMemoryArenaSlots));
        if (CollectiveTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"sync collective-timeout must be positive, got {CollectiveTimeout}", nameof(CollectiveTimeout));
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"sync connect-timeout must be positive, got {ConnectTimeout}", nameof(ConnectTimeout));
        if (SpinCount < 0)
            throw new ArgumentException($"sync spin-count must not be negative, got {SpinCount}", nameof(SpinCount));
        if (Transport == TransportKind.Akka && ActorSystem is null)
            throw new ArgumentException("sync transport akka needs the node's actor system (GradientSyncOptions.ActorSystem)", nameof(ActorSystem));
        if (string.IsNullOrEmpty(GroupName))
            throw new ArgumentException("sync group-name must not be empty", nameof(GroupName));
    }
}
