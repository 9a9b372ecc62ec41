using MessagePack;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// A single-producer single-consumer ring of fixed-size slots in memory shared by two processes. The writer fills the
/// slot at <c>writeSeq % slots</c> and publishes by advancing <c>writeSeq</c>; the reader consumes and advances
/// <c>readSeq</c>. A side that must wait spins briefly, then announces itself in a waiting flag and sleeps on a futex
/// word that the other side bumps (and wakes only when someone waits), so idle ranks leave the cores to busy ones.
/// Each slot starts with a MessagePack map {"n": frame length, "p": piece length} (fixed-width int32s, written with
/// MessagePackWriter, read with MessagePackReader); its payload is 64-byte aligned so floats can be added straight out
/// of the slot.
/// </summary>
internal sealed unsafe class SharedMemoryRing
{
    /// <summary>Bytes of the control block (two cache lines: writer's and reader's).</summary>
    public const int ControlBytes = 128;

    /// <summary>Bytes in front of each slot's payload.</summary>
    public const int SlotHeaderBytes = 64;

    private const int WriteSeqOffset = 0, DataSignalOffset = 8, ReaderWaitingOffset = 12;
    private const int ReadSeqOffset = 64, SpaceSignalOffset = 72, WriterWaitingOffset = 76;
    private const int SleepSliceMilliseconds = 50;

    /// <summary>fixmap(2), keys "n" and "p", two int32s.</summary>
    private const int SlotHeaderEncodedBytes = 1 + (2 + 5) * 2;

    private readonly byte* _base;
    private readonly int _slots;
    private readonly int _slotBytes;
    private readonly int _spinCount;
    private volatile bool _aborted;
    private readonly FixedBufferWriter _headerWriter = new(SlotHeaderEncodedBytes);
    private readonly byte[] _headerRead = new byte[SlotHeaderEncodedBytes];

    public SharedMemoryRing(byte* baseAddress, int slots, int slotBytes, int spinCount)
    {
        _base = baseAddress;
        _slots = slots;
        _slotBytes = slotBytes;
        _spinCount = spinCount;
    }

    /// <summary>Payload bytes per slot.</summary>
    public int SlotBytes => _slotBytes;

    /// <summary>Bytes a ring with these dimensions occupies.</summary>
    public static long RequiredBytes(int slots, int slotBytes) => ControlBytes + (long)slots * (SlotHeaderBytes + slotBytes);

    private ref long WriteSeq => ref *(long*)(_base + WriteSeqOffset);
    private ref long ReadSeq => ref *(long*)(_base + ReadSeqOffset);
    private int* DataSignal => (int*)(_base + DataSignalOffset);
    private int* ReaderWaiting => (int*)(_base + ReaderWaitingOffset);
    private int* SpaceSignal => (int*)(_base + SpaceSignalOffset);
    private int* WriterWaiting => (int*)(_base + WriterWaitingOffset);

    private byte* Slot(long sequence) => _base + ControlBytes + (sequence % _slots) * (SlotHeaderBytes + (long)_slotBytes);

    /// <summary>Waits for a free slot and returns its payload area.</summary>
    public Span<byte> AcquireWrite()
    {
        long sequence = WriteSeq; // only this side writes it
        if (sequence - Volatile.Read(ref ReadSeq) >= _slots)
            Await(forData: false, sequence);
        return new Span<byte>(Slot(sequence) + SlotHeaderBytes, _slotBytes);
    }

    /// <summary>Publishes the slot filled after <see cref="AcquireWrite"/>.</summary>
    public void PublishWrite(int frameLength, int pieceLength)
    {
        long sequence = WriteSeq;
        _headerWriter.Reset();
        var writer = new MessagePackWriter(_headerWriter);
        writer.WriteMapHeader(2);
        writer.WriteString("n"u8); writer.WriteInt32(frameLength);
        writer.WriteString("p"u8); writer.WriteInt32(pieceLength);
        writer.Flush();
        _headerWriter.Written.CopyTo(new Span<byte>(Slot(sequence), SlotHeaderBytes));
        Volatile.Write(ref WriteSeq, sequence + 1);
        Interlocked.Increment(ref *DataSignal); // full fence: orders the publish before reading the waiting flag
        if (Volatile.Read(ref *ReaderWaiting) != 0) Futex.WakeAll(DataSignal);
    }

    /// <summary>Waits for a filled slot; returns its payload and the frame and piece lengths from its header.</summary>
    public ReadOnlySpan<byte> AcquireRead(out int frameLength, out int pieceLength)
    {
        long sequence = ReadSeq; // only this side writes it
        if (Volatile.Read(ref WriteSeq) <= sequence)
            Await(forData: true, sequence);
        byte* header = Slot(sequence);
        (frameLength, pieceLength) = ReadSlotHeader(new ReadOnlySpan<byte>(header, SlotHeaderEncodedBytes));
        if ((uint)pieceLength > (uint)_slotBytes)
            throw new InvalidDataException($"shared-memory slot claims {pieceLength} bytes, more than the slot size {_slotBytes}");
        return new ReadOnlySpan<byte>(header + SlotHeaderBytes, pieceLength);
    }

    /// <summary>Frees the slot returned by <see cref="AcquireRead"/>.</summary>
    public void ReleaseRead()
    {
        Volatile.Write(ref ReadSeq, ReadSeq + 1);
        Interlocked.Increment(ref *SpaceSignal);
        if (Volatile.Read(ref *WriterWaiting) != 0) Futex.WakeAll(SpaceSignal);
    }

    /// <summary>Makes waits in this process fail promptly.</summary>
    public void Abort()
    {
        _aborted = true;
        Futex.WakeAll(DataSignal);
        Futex.WakeAll(SpaceSignal);
    }

    private (int Frame, int Piece) ReadSlotHeader(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_headerRead);
        try
        {
            var reader = new MessagePackReader(_headerRead);
            if (reader.ReadMapHeader() != 2 || !reader.TryReadStringSpan(out var n) || !n.SequenceEqual("n"u8))
                throw new InvalidDataException("malformed shared-memory slot header");
            int frame = reader.ReadInt32();
            if (!reader.TryReadStringSpan(out var p) || !p.SequenceEqual("p"u8)) throw new InvalidDataException("malformed shared-memory slot header");
            return (frame, reader.ReadInt32());
        }
        catch (MessagePackSerializationException ex)
        {
            throw new InvalidDataException($"malformed shared-memory slot header ({ex.Message}); the peer speaks another protocol", ex);
        }
    }

    private bool Ready(bool forData, long sequence) => forData
        ? Volatile.Read(ref WriteSeq) > sequence
        : sequence - Volatile.Read(ref ReadSeq) < _slots;

    private void Await(bool forData, long sequence)
    {
        for (int i = 0; i < _spinCount; i++)
        {
            if (Ready(forData, sequence)) return;
            Thread.SpinWait(20);
        }
        int* signal = forData ? DataSignal : SpaceSignal;
        int* waiting = forData ? ReaderWaiting : WriterWaiting;
        while (true)
        {
            if (_aborted) throw new OperationCanceledException("the shared-memory channel was aborted");
            Interlocked.Exchange(ref *waiting, 1); // full fence: announce before re-checking (Dekker with the other side)
            int observed = Volatile.Read(ref *signal);
            if (Ready(forData, sequence)) { Volatile.Write(ref *waiting, 0); return; }
            Futex.Wait(signal, observed, SleepSliceMilliseconds);
            Volatile.Write(ref *waiting, 0);
            if (Ready(forData, sequence)) return;
        }
    }
}
