using ActorTrain.Model.Native;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>
/// PyTorch DDP's gradient_as_bucket_view layout: one contiguous float32 parameter buffer and one contiguous
/// gradient buffer, parameters laid out in REVERSE registration order (the order gradients become ready in
/// backward). Every parameter is rebound to alias its slice of the parameter buffer (same C# Tensor object, current
/// values copied), and its .grad is set to alias its slice of the gradient buffer, so autograd accumulates in place
/// (libtorch's AccumulateGrad does grad += new when grad is defined and backward runs without create_graph).
/// Optimisers and all-reduce work on <see cref="Parameters"/>/<see cref="Gradients"/> directly.
/// On CUDA the buffers live on the GPU: the spans are unavailable and a host staging copy is needed.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    private readonly Tensor _parameterBuffer;
    private readonly Tensor _gradientBuffer;
    private readonly NativeFloatMemoryManager? _parameterMemory;
    private readonly NativeFloatMemoryManager? _gradientMemory;
    private readonly Tensor[] _parametersInFlatOrder;

    /// <summary>Lays out every parameter of <paramref name="module"/>.</summary>
    public FlatParameters(Module module) : this(module.NamedParameters()) { }

    /// <summary>Lays out the given parameters (registration order); they must all be float32 on one device.</summary>
    public FlatParameters(IReadOnlyList<(string Name, Tensor Parameter)> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to lay out", nameof(parameters));
        var device = parameters[0].Parameter.Device;
        long total = 0;
        var entries = new FlatParameterEntry[parameters.Count];
        _parametersInFlatOrder = new Tensor[parameters.Count];
        for (int k = 0, i = parameters.Count - 1; i >= 0; i--, k++)
        {
            var (name, p) = parameters[i];
            if (p.DType != DType.Float32)
                throw new ArgumentException($"parameter '{name}' is {p.DType}; flat buffers hold float32 only", nameof(parameters));
            if (p.Device != device)
                throw new ArgumentException($"parameter '{name}' is on {p.Device} but '{parameters[0].Name}' is on {device}", nameof(parameters));
            var length = p.NumEl;
            entries[k] = new FlatParameterEntry(name, i, total, length, p.Shape);
            _parametersInFlatOrder[k] = p;
            total += length;
        }
        Entries = entries;
        Length = total;
        Device = device;

        _parameterBuffer = Tensor.Zeros([total], DType.Float32, device).DetachFromScope();
        _gradientBuffer = Tensor.Zeros([total], DType.Float32, device).DetachFromScope();
        using (Torch.NoGrad())
        {
            for (var k = 0; k < entries.Length; k++)
            {
                var e = entries[k];
                var p = _parametersInFlatOrder[k];
                var paramAlias = NativeErrors.Check(
                    NativeMethods.atn_alias_storage(_parameterBuffer.Handle, e.Offset, e.Shape, e.Shape.Length), "flat parameter alias");
                using (var slot = Tensor.Wrap(paramAlias, "flat parameter alias").DetachFromScope())
                {
                    slot.CopyFrom(p);
                    var rebound = NativeErrors.Check(NativeMethods.atn_shallow_copy(slot.Handle), "flat parameter alias");
                    p.Rebind(rebound);
                }
                p.RequiresGrad = true;
                var gradAlias = NativeErrors.Check(
                    NativeMethods.atn_alias_storage(_gradientBuffer.Handle, e.Offset, e.Shape, e.Shape.Length), "flat gradient alias");
                using var gradSlot = Tensor.Wrap(gradAlias, "flat gradient alias").DetachFromScope();
                p.Grad = gradSlot;
            }
        }
        if (device.Type == DeviceType.Cpu)
        {
            var n = checked((int)total);
            _parameterMemory = new NativeFloatMemoryManager(_parameterBuffer.DataPointer, n);
            _gradientMemory = new NativeFloatMemoryManager(_gradientBuffer.DataPointer, n);
        }
    }

    /// <summary>Entries in flat order (reverse registration order), with offsets and shapes.</summary>
    public IReadOnlyList<FlatParameterEntry> Entries { get; }

    /// <summary>Parameters in flat order (index k matches <see cref="Entries"/>[k]).</summary>
    public IReadOnlyList<Tensor> ParametersInFlatOrder => _parametersInFlatOrder;

    /// <summary>Total number of elements.</summary>
    public long Length { get; }

    /// <summary>Device of both buffers.</summary>
    public Device Device { get; }

    /// <summary>The flat parameter buffer as a tensor (for device-side ops).</summary>
    public Tensor ParameterBuffer => _parameterBuffer;

    /// <summary>The flat gradient buffer as a tensor.</summary>
    public Tensor GradientBuffer => _gradientBuffer;

    /// <summary>The parameter values (CPU only), no copy; writes are seen by the model's next forward.</summary>
    public Memory<float> Parameters => (_parameterMemory ?? throw CpuOnly()).Memory;

    /// <summary>The gradients (CPU only), no copy; backward accumulates into this memory.</summary>
    public Memory<float> Gradients => (_gradientMemory ?? throw CpuOnly()).Memory;

    /// <summary>Span over <see cref="Parameters"/>.</summary>
    public Span<float> ParameterSpan => Parameters.Span;

    /// <summary>Span over <see cref="Gradients"/>.</summary>
    public Span<float> GradientSpan => Gradients.Span;

    /// <summary>Zeroes the gradient buffer in place (gradients stay defined and keep aliasing the buffer).</summary>
    public void ZeroGradients()
    {
        using (Torch.NoGrad()) _gradientBuffer.ZeroInPlace();
    }

    private InvalidOperationException CpuOnly() => new(
        $"flat buffers are on {Device}; spans exist only for CPU buffers — copy ParameterBuffer/GradientBuffer to the host (staging) instead");

    /// <summary>Frees the buffers (the module's parameters keep the parameter storage alive).</summary>
    public void Dispose()
    {
        _parameterBuffer.Dispose();
        _gradientBuffer.Dispose();
    }
}
