using System.IO.MemoryMappedFiles;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.SharedMemory;

/// <summary>
/// One memory-mapped file shared by every rank of a group that lives on one machine (by default under /dev/shm):
/// a control block per rank (a monotonically increasing 32-bit stage counter that doubles as its futex word, a
/// count of ranks sleeping on it, and two collective-header slots), then one input area per rank and one output
/// area, each <c>chunkBytes</c> long and 64-byte aligned. <see cref="ArenaAllReduce"/> defines what the stages mean.
/// Waiting spins briefly, then sleeps on the awaited rank's stage word; a rank that publishes a stage wakes sleepers
/// only when there are any, so on machines with fewer cores than ranks the waiting ranks leave the CPU to the one
/// they wait for.
/// </summary>
internal sealed unsafe class SharedMemoryArena : IDisposable
{
    private const int ControlBytesPerRank = 128; // stage + waiters on one cache line, the headers on the next
    private const int StageOffset = 0, WaitersOffset = 4, HeaderOffset = 64;
    private const int SleepSliceMilliseconds = 50;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataOffset;
    private readonly int _spinCount;
    private volatile bool _aborted;
    private int _disposed;

    private SharedMemoryArena(MemoryMappedFile file, int world, int chunkBytes, int spinCount)
    {
        _file = file;
        World = world;
        ChunkBytes = chunkBytes;
        _spinCount = spinCount;
        _dataOffset = DataOffset(world);
        _view = file.CreateViewAccessor(0, RequiredBytes(world, chunkBytes), MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>Number of ranks sharing the arena.</summary>
    public int World { get; }

    /// <summary>Bytes of each input area and of the output area (a multiple of 64).</summary>
    public int ChunkBytes { get; }

    /// <summary>Floats per chunk.</summary>
    public int ChunkFloats => ChunkBytes / sizeof(float);

    /// <summary>Size of the backing file for these dimensions.</summary>
    public static long RequiredBytes(int world, int chunkBytes) => DataOffset(world) + (world + 1L) * chunkBytes;

    /// <summary>Creates the backing file at <paramref name="path"/> (zero-filled: every stage starts at 0) and maps it.</summary>
    public static SharedMemoryArena Create(string path, int world, int chunkBytes, int spinCount)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, RequiredBytes(world, chunkBytes), MemoryMappedFileAccess.ReadWrite);
        try { return new SharedMemoryArena(file, world, chunkBytes, spinCount); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>Maps the file another rank created, after checking its size matches these dimensions.</summary>
    public static SharedMemoryArena Open(string path, int world, int chunkBytes, int spinCount)
    {
        long expected = RequiredBytes(world, chunkBytes), actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new InvalidDataException($"shared-memory arena {path} has {actual} bytes, expected {expected} for {world} ranks and {chunkBytes}-byte chunks; do all ranks use the same sync settings?");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        try { return new SharedMemoryArena(file, world, chunkBytes, spinCount); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>Rank <paramref name="rank"/>'s input area.</summary>
    public float* Input(int rank) => (float*)(_base + _dataOffset + (long)rank * ChunkBytes);

    /// <summary>The output area, where each rank writes its reduced slice.</summary>
    public float* Output => (float*)(_base + _dataOffset + (long)World * ChunkBytes);

    /// <summary>Rank <paramref name="rank"/>'s header slot <paramref name="parity"/> (0 or 1): four int64s.</summary>
    public long* Header(int rank, int parity) => (long*)(_base + (long)rank * ControlBytesPerRank + HeaderOffset + parity * 32);

    /// <summary>Rank <paramref name="rank"/>'s current stage.</summary>
    public int StageOf(int rank) => Volatile.Read(ref *StageWord(rank));

    /// <summary>Publishes <paramref name="stage"/> as <paramref name="rank"/>'s stage (everything written before is visible first).</summary>
    public void Publish(int rank, int stage)
    {
        int* word = StageWord(rank);
        Interlocked.Exchange(ref *word, stage); // full fence: the stage is visible before the waiter count is read
        if (Volatile.Read(ref *(int*)(_base + (long)rank * ControlBytesPerRank + WaitersOffset)) != 0) Futex.WakeAll(word);
    }

    /// <summary>Blocks until every rank's stage has reached <paramref name="stage"/> (wrap-around safe).</summary>
    public void WaitForAll(int stage)
    {
        for (int rank = 0; rank < World; rank++) WaitFor(rank, stage);
    }

    /// <summary>Blocks until <paramref name="rank"/>'s stage has reached <paramref name="stage"/>.</summary>
    public void WaitFor(int rank, int stage)
    {
        int* word = StageWord(rank);
        if (Reached(word, stage)) return;
        for (int i = 0; i < _spinCount; i++)
        {
            Thread.SpinWait(20);
            if (Reached(word, stage)) return;
        }
        int* waiters = (int*)(_base + (long)rank * ControlBytesPerRank + WaitersOffset);
        while (true)
        {
            if (_aborted) throw new OperationCanceledException("the shared-memory arena was aborted");
            Interlocked.Increment(ref *waiters); // full fence: announced before the re-check (Dekker with Publish)
            int observed = Volatile.Read(ref *word);
            if (!Reached(observed, stage)) Futex.Wait(word, observed, SleepSliceMilliseconds);
            Interlocked.Decrement(ref *waiters);
            if (Reached(word, stage)) return;
        }
    }

    /// <summary>Makes this process's waits fail promptly (the group is failing); safe from any thread.</summary>
    public void Abort()
    {
        _aborted = true;
        if (Volatile.Read(ref _disposed) != 0) return;
        for (int rank = 0; rank < World; rank++) Futex.WakeAll(StageWord(rank));
    }

    /// <summary>Unmaps the arena. Call only when no collective is running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private int* StageWord(int rank) => (int*)(_base + (long)rank * ControlBytesPerRank + StageOffset);

    private static bool Reached(int* word, int stage) => Reached(Volatile.Read(ref *word), stage);

    private static bool Reached(int value, int stage) => value - stage >= 0;

    private static long DataOffset(int world) => ((long)world * ControlBytesPerRank + 4095) / 4096 * 4096;
}
