using System.IO.MemoryMappedFiles;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.SharedMemory;

/// <summary>
/// One memory-mapped file shared by every rank of a group that lives on one machine (by default under /dev/shm):
/// a global line with a wake-up counter (the futex word) and the number of sleepers, a control block per rank
/// (<see cref="Counter"/>s it alone advances, and two collective-header slots), then <see cref="Slots"/> slots, each
/// holding one input area per rank and one output area of <c>chunkBytes</c> (64-byte aligned).
/// <see cref="ArenaAllReduce"/> defines what the counters mean. A rank that publishes progress bumps the wake-up
/// counter and wakes sleepers only when there are any; a rank that cannot progress spins briefly, then sleeps on that
/// counter, so on machines with fewer cores than ranks the waiting ranks leave the CPU to the ones they wait for.
/// </summary>
internal sealed unsafe class SharedMemoryArena : IDisposable
{
    /// <summary>Per-rank progress counters (32-bit, monotonic across collectives, compared wrap-around safe).</summary>
    public enum Counter { Joined = 0, Input = 1, Reduced = 2, Output = 3 }

    private const int GlobalBytes = 64; // wake-up counter, sleepers
    private const int ControlBytesPerRank = 128; // counters on one cache line, the headers on the next
    private const int HeaderOffset = 64;
    private const int SleepSliceMilliseconds = 50;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _dataOffset;
    private readonly int _spinCount;
    private volatile bool _aborted;
    private int _disposed;

    private SharedMemoryArena(MemoryMappedFile file, int world, int slots, int chunkBytes, int spinCount)
    {
        _file = file;
        World = world;
        Slots = slots;
        ChunkBytes = chunkBytes;
        _spinCount = spinCount;
        _dataOffset = DataOffset(world);
        _view = file.CreateViewAccessor(0, RequiredBytes(world, slots, chunkBytes), MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>Number of ranks sharing the arena.</summary>
    public int World { get; }

    /// <summary>Number of chunk slots (how far a rank may run ahead of the slowest).</summary>
    public int Slots { get; }

    /// <summary>Bytes of each input and output area (a multiple of 64).</summary>
    public int ChunkBytes { get; }

    /// <summary>Floats per chunk.</summary>
    public int ChunkFloats => ChunkBytes / sizeof(float);

    /// <summary>Size of the backing file for these dimensions.</summary>
    public static long RequiredBytes(int world, int slots, int chunkBytes) => DataOffset(world) + (long)slots * (world + 1L) * chunkBytes;

    /// <summary>Creates the backing file at <paramref name="path"/> (zero-filled: every counter starts at 0) and maps it.</summary>
    public static SharedMemoryArena Create(string path, int world, int slots, int chunkBytes, int spinCount)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, RequiredBytes(world, slots, chunkBytes), MemoryMappedFileAccess.ReadWrite);
        try { return new SharedMemoryArena(file, world, slots, chunkBytes, spinCount); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>Maps the file another rank created, after checking its size matches these dimensions.</summary>
    public static SharedMemoryArena Open(string path, int world, int slots, int chunkBytes, int spinCount)
    {
        long expected = RequiredBytes(world, slots, chunkBytes), actual = new FileInfo(path).Length;
        if (actual != expected)
            throw new InvalidDataException($"shared-memory arena {path} has {actual} bytes, expected {expected} for {world} ranks, {slots} slots and {chunkBytes}-byte chunks; do all ranks use the same sync settings?");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        try { return new SharedMemoryArena(file, world, slots, chunkBytes, spinCount); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>Rank <paramref name="rank"/>'s input area in slot <paramref name="slot"/>.</summary>
    public float* Input(int slot, int rank) => (float*)(_base + _dataOffset + ((long)slot * (World + 1) + rank) * ChunkBytes);

    /// <summary>The output area of slot <paramref name="slot"/>, where each rank writes its reduced slice.</summary>
    public float* Output(int slot) => Input(slot, World);

    /// <summary>Rank <paramref name="rank"/>'s header slot <paramref name="parity"/> (0 or 1): four int64s.</summary>
    public long* Header(int rank, int parity) => (long*)(_base + GlobalBytes + (long)rank * ControlBytesPerRank + HeaderOffset + parity * 32);

    /// <summary>Rank <paramref name="rank"/>'s <paramref name="counter"/>.</summary>
    public int Read(int rank, Counter counter) => Volatile.Read(ref *CounterWord(rank, counter));

    /// <summary>True when every rank's <paramref name="counter"/> has reached <paramref name="value"/> (wrap-around safe).</summary>
    public bool AllReached(Counter counter, int value)
    {
        for (int rank = 0; rank < World; rank++)
            if (Read(rank, counter) - value < 0) return false;
        return true;
    }

    /// <summary>Publishes <paramref name="value"/> as <paramref name="rank"/>'s <paramref name="counter"/> (everything written before is visible first).</summary>
    public void Publish(int rank, Counter counter, int value)
    {
        Volatile.Write(ref *CounterWord(rank, counter), value);
        Interlocked.Increment(ref *WakeWord); // full fence: the counter is visible before the sleeper count is read
        if (Volatile.Read(ref *SleeperCount) != 0) Futex.WakeAll(WakeWord);
    }

    /// <summary>
    /// Blocks until <paramref name="canProgress"/> returns true: spins briefly, then sleeps until another rank
    /// publishes. Throws <see cref="OperationCanceledException"/> once <see cref="Abort"/> was called.
    /// </summary>
    public void WaitUntil<TState>(Func<TState, bool> canProgress, TState state)
    {
        if (canProgress(state)) return;
        for (int i = 0; i < _spinCount; i++)
        {
            Thread.SpinWait(20);
            if (canProgress(state)) return;
        }
        while (true)
        {
            if (_aborted) throw new OperationCanceledException("the shared-memory arena was aborted");
            Interlocked.Increment(ref *SleeperCount); // full fence: announced before the re-check (Dekker with Publish)
            int observed = Volatile.Read(ref *WakeWord);
            bool ready = canProgress(state);
            if (!ready) Futex.Wait(WakeWord, observed, SleepSliceMilliseconds);
            Interlocked.Decrement(ref *SleeperCount);
            if (ready || canProgress(state)) return;
        }
    }

    /// <summary>Makes this process's waits fail promptly (the group is failing); safe from any thread.</summary>
    public void Abort()
    {
        _aborted = true;
        if (Volatile.Read(ref _disposed) == 0) Futex.WakeAll(WakeWord);
    }

    /// <summary>Unmaps the arena. Call only when no collective is running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private int* WakeWord => (int*)_base;

    private int* SleeperCount => (int*)(_base + 4);

    private int* CounterWord(int rank, Counter counter) => (int*)(_base + GlobalBytes + (long)rank * ControlBytesPerRank) + (int)counter;

    private static long DataOffset(int world) => (GlobalBytes + (long)world * ControlBytesPerRank + 4095) / 4096 * 4096;
}
