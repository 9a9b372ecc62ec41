using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// PyTorch DDP's gradient_as_bucket_view layout: one contiguous float32 parameter buffer and one gradient buffer,
/// parameters laid out in REVERSE registration order (the order gradients become ready in backward). Each parameter is
/// re-pointed into its slice of the parameter buffer (<c>Tensor.set_</c>: same Parameter object, values copied) and its
/// <c>.grad</c> is set to a view of its slice of the gradient buffer, so backward accumulates in place (AccumulateGrad
/// adds into a defined .grad; <see cref="GradientReadySignal"/> adds into it itself). Optimizers and collectives work on
/// <see cref="Parameters"/>/<see cref="Gradients"/> directly. On CUDA the spans are unavailable: stage through the host.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    private readonly Tensor _parameterBuffer;
    private readonly Tensor _gradientBuffer;
    private readonly NativeFloatMemoryManager? _parameterMemory;
    private readonly NativeFloatMemoryManager? _gradientMemory;
    private readonly Parameter[] _parametersInFlatOrder;

    /// <summary>Lays out every trainable parameter of <paramref name="model"/> (under LoRA: the adapters only; the frozen
    /// base keeps its own storage and gets no gradient buffer).</summary>
    public FlatParameters(Gpt model) : this(model.TrainableParameters()) { }

    /// <summary>Lays out the given parameters (registration order); they must all be float32 on one device.</summary>
    public FlatParameters(IReadOnlyList<(string Name, Parameter Parameter)> parameters)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to lay out", nameof(parameters));
        var device = parameters[0].Parameter.device;
        long total = 0;
        var entries = new FlatParameterEntry[parameters.Count];
        _parametersInFlatOrder = new Parameter[parameters.Count];
        for (int k = 0, i = parameters.Count - 1; i >= 0; i--, k++)
        {
            var (name, p) = parameters[i];
            if (p.dtype != float32)
                throw new ArgumentException($"parameter '{name}' is {p.dtype}; flat buffers hold float32 only", nameof(parameters));
            if (p.device.type != device.type || p.device.index != device.index)
                throw new ArgumentException($"parameter '{name}' is on {p.device} but '{parameters[0].Name}' is on {device}", nameof(parameters));
            entries[k] = new FlatParameterEntry(name, i, total, p.numel(), p.shape);
            _parametersInFlatOrder[k] = p;
            total += p.numel();
        }
        Entries = entries;
        Length = total;
        Device = device;

        _parameterBuffer = zeros(total, dtype: float32, device: device).DetachFromDisposeScope();
        _gradientBuffer = zeros(total, dtype: float32, device: device).DetachFromDisposeScope();
        using (no_grad())
        {
            for (var k = 0; k < entries.Length; k++)
            {
                var e = entries[k];
                var p = _parametersInFlatOrder[k];
                using var slot = _parameterBuffer.narrow(0, e.Offset, e.Length).view(e.Shape);
                slot.copy_(p);
                p.set_(slot);
                using var gradSlot = _gradientBuffer.narrow(0, e.Offset, e.Length).view(e.Shape);
                p.grad = gradSlot;
            }
        }
        if (device.type == DeviceType.CPU)
        {
            var n = checked((int)total);
            _parameterMemory = new NativeFloatMemoryManager(_parameterBuffer, n);
            _gradientMemory = new NativeFloatMemoryManager(_gradientBuffer, n);
        }
    }

    /// <summary>Entries in flat order (reverse registration order), with offsets and shapes.</summary>
    public IReadOnlyList<FlatParameterEntry> Entries { get; }

    /// <summary>Parameters in flat order (index k matches <see cref="Entries"/>[k]).</summary>
    public IReadOnlyList<Parameter> ParametersInFlatOrder => _parametersInFlatOrder;

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
        using (no_grad()) _gradientBuffer.zero_();
    }

    /// <summary>Copies the parameter buffer (any device) into <paramref name="host"/> (the staging path for GPU buffers).</summary>
    public void CopyParametersTo(Span<float> host) => CopyToHost(_parameterBuffer, host);

    /// <summary>Copies the gradient buffer (any device) into <paramref name="host"/>.</summary>
    public void CopyGradientsTo(Span<float> host) => CopyToHost(_gradientBuffer, host);

    /// <summary>Overwrites the parameter buffer (any device) with <paramref name="host"/>.</summary>
    public void CopyParametersFrom(float[] host)
    {
        if (host.Length != Length) throw new ArgumentException($"expected {Length} values, got {host.Length}", nameof(host));
        using var source = tensor(host);
        using (no_grad()) _parameterBuffer.copy_(source);
    }

    private void CopyToHost(Tensor buffer, Span<float> host)
    {
        if (host.Length != Length) throw new ArgumentException($"expected room for {Length} values, got {host.Length}", nameof(host));
        using var onHost = buffer.cpu();
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(onHost.bytes).CopyTo(host);
    }

    private InvalidOperationException CpuOnly() => new(
        $"flat buffers are on {Device}; spans exist only for CPU buffers — copy ParameterBuffer/GradientBuffer to the host (staging) instead");

    /// <summary>Frees this object's handles on the buffers (the parameters keep their storage alive).</summary>
    public void Dispose()
    {
        _parameterBuffer.Dispose();
        _gradientBuffer.Dispose();
    }
}
