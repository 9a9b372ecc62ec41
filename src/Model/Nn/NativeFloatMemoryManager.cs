using System.Buffers;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Exposes native float memory (a CPU tensor's storage) as <see cref="Memory{T}"/> without copying. The memory is
/// owned by the tensor; the owner (<see cref="FlatParameters"/>) keeps it alive and must outlive every use.
/// </summary>
internal sealed unsafe class NativeFloatMemoryManager : MemoryManager<float>
{
    private readonly float* _pointer;
    private readonly int _length;

    internal NativeFloatMemoryManager(IntPtr pointer, int length)
    {
        _pointer = (float*)pointer;
        _length = length;
    }

    public override Span<float> GetSpan() => new(_pointer, _length);

    // Native memory never moves, so pinning is a no-op.
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if ((uint)elementIndex > (uint)_length) throw new ArgumentOutOfRangeException(nameof(elementIndex));
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin() { }

    protected override void Dispose(bool disposing) { }
}
