using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Exposes a contiguous CPU float32 tensor's storage as <see cref="Memory{T}"/> without copying. The tensor owns the
/// memory; the owner (<see cref="FlatParameters"/>) keeps it alive and must outlive every use.
/// </summary>
internal sealed unsafe class NativeFloatMemoryManager : MemoryManager<float>
{
    private readonly float* _pointer;
    private readonly int _length;

    internal NativeFloatMemoryManager(Tensor tensor, int length)
    {
        if (!tensor.is_contiguous() || tensor.dtype != ScalarType.Float32 || tensor.device_type != DeviceType.CPU)
            throw new ArgumentException("only a contiguous float32 CPU tensor can be exposed as Memory<float>", nameof(tensor));
        // Tensor.bytes is a span over the tensor's own storage (no copy).
        _pointer = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));
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
