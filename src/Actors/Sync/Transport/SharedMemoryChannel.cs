using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// A duplex channel between two processes on one machine: two <see cref="SharedMemoryRing"/>s in one memory-mapped
/// file (by default under /dev/shm). The connecting side creates the file, the accepting side maps it, then the file
/// is unlinked so nothing is left behind when the processes end. Sends copy once into a slot; receives copy or add
/// straight out of the slot.
/// </summary>
internal sealed unsafe class SharedMemoryChannel : IDataChannel
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly SharedMemoryRing _sendRing;
    private readonly SharedMemoryRing _receiveRing;
    private int _disposed;

    private SharedMemoryChannel(MemoryMappedFile file, long capacity, int slots, int slotBytes, int spinCount, bool isCreator)
    {
        _file = file;
        _view = file.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        pointer += _view.PointerOffset;
        long ringBytes = AlignedRingBytes(slots, slotBytes);
        var creatorToAcceptor = new SharedMemoryRing(pointer, slots, slotBytes, spinCount);
        var acceptorToCreator = new SharedMemoryRing(pointer + ringBytes, slots, slotBytes, spinCount);
        _sendRing = isCreator ? creatorToAcceptor : acceptorToCreator;
        _receiveRing = isCreator ? acceptorToCreator : creatorToAcceptor;
    }

    public string Kind => "shared-memory";

    /// <summary>Creates the backing file at <paramref name="path"/> and maps it (connecting side).</summary>
    public static SharedMemoryChannel Create(string path, int slots, int slotBytes, int spinCount)
    {
        long capacity = 2 * AlignedRingBytes(slots, slotBytes);
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, capacity, MemoryMappedFileAccess.ReadWrite);
        return new SharedMemoryChannel(file, capacity, slots, slotBytes, spinCount, isCreator: true);
    }

    /// <summary>Maps the file another process created (accepting side).</summary>
    public static SharedMemoryChannel Open(string path, int slots, int slotBytes, int spinCount)
    {
        long capacity = 2 * AlignedRingBytes(slots, slotBytes);
        long actual = new FileInfo(path).Length;
        if (actual != capacity)
            throw new InvalidDataException($"shared-memory file {path} has {actual} bytes, expected {capacity} for {slots} slots of {slotBytes} bytes");
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        return new SharedMemoryChannel(file, capacity, slots, slotBytes, spinCount, isCreator: false);
    }

    public void Send(ReadOnlySpan<byte> payload)
    {
        int frameLength = payload.Length;
        do
        {
            var slot = _sendRing.AcquireWrite();
            int piece = Math.Min(slot.Length, payload.Length);
            payload[..piece].CopyTo(slot);
            _sendRing.PublishWrite(frameLength, piece);
            payload = payload[piece..];
        }
        while (!payload.IsEmpty);
    }

    public void Receive(Span<byte> destination)
    {
        int offset = 0;
        do
        {
            var slot = AcquirePiece(destination.Length, offset);
            slot.CopyTo(destination[offset..]);
            offset += slot.Length;
            _receiveRing.ReleaseRead();
        }
        while (offset < destination.Length);
    }

    public void ReceiveAdd(Span<float> accumulator)
    {
        var bytes = MemoryMarshal.AsBytes(accumulator);
        int offset = 0;
        do
        {
            var slot = AcquirePiece(bytes.Length, offset);
            var target = accumulator.Slice(offset / sizeof(float), slot.Length / sizeof(float));
            TensorPrimitives.Add(target, MemoryMarshal.Cast<byte, float>(slot), target);
            offset += slot.Length;
            _receiveRing.ReleaseRead();
        }
        while (offset < bytes.Length);
    }

    public void Abort()
    {
        _sendRing.Abort();
        _receiveRing.Abort();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private ReadOnlySpan<byte> AcquirePiece(int expectedFrame, int offset)
    {
        var slot = _receiveRing.AcquireRead(out int frameLength, out int pieceLength);
        int expectedPiece = Math.Min(_receiveRing.SlotBytes, expectedFrame - offset);
        if (frameLength != expectedFrame || pieceLength != expectedPiece)
            throw new InvalidDataException($"the peer sent a frame of {frameLength} bytes (piece {pieceLength}) where {expectedFrame} (piece {expectedPiece}) were expected; the ranks disagree about the collective");
        return slot;
    }

    private static long AlignedRingBytes(int slots, int slotBytes) =>
        (SharedMemoryRing.RequiredBytes(slots, slotBytes) + 4095) / 4096 * 4096;
}
