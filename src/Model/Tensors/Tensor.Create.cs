using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] needs {count} elements but {data.Length} were given", nameof(data));
        var dev = device ?? Device.Cpu;
        fixed (T* p = data)
            return Wrap(NativeMethods.atn_from_data(p, (int)DTypeExtensions.Of<T>(), shape, shape.Length, (int)dev.Type, dev.Index), "from_data");
    }

    /// <summary>A 1-D tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From<T>(ReadOnlySpan<T> data, Device? device = null) where T : unmanaged =>
        From(data, [data.Length], device);

    /// <summary>A 0-D tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, Device? device = null) =>
        Full([], value, dtype, device);

    /// <summary>Uninitialised memory.</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
        Fill(FillKind.Empty, shape, dtype, device, 0);

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
        Fill(FillKind.Zeros, shape, dtype, device, 0);

    /// <summary>All ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) =>
        Fill(FillKind.Ones, shape, dtype, device, 0);

    /// <summary>Every element <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null) =>
        Fill(FillKind.Full, shape, dtype, device, value);

    /// <summary>[start, end) with step (int64 by default).</summary>
    public static Tensor Arange(long start, long end, long step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var dev = device ?? Device.Cpu;
        return Wrap(NativeMethods.atn_arange(start, end, step, (int)dtype, (int)dev.Type, dev.Index), "arange");
    }

    /// <summary>Standard normal samples drawn from <paramref name="generator"/>.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, Generator generator, DType dtype = DType.Float32, Device? device = null) =>
        Random(RandomKind.Normal, generator, shape, dtype, device, 0, 1);

    /// <summary>Normal(<paramref name="mean"/>, <paramref name="std"/>) samples.</summary>
    public static Tensor Normal(ReadOnlySpan<long> shape, double mean, double std, Generator generator, DType dtype = DType.Float32, Device? device = null) =>
        Random(RandomKind.Normal, generator, shape, dtype, device, mean, std);

    /// <summary>Uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(ReadOnlySpan<long> shape, double low, double high, Generator generator, DType dtype = DType.Float32, Device? device = null) =>
        Random(RandomKind.Uniform, generator, shape, dtype, device, low, high);

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, Generator generator, DType dtype = DType.Int64, Device? device = null) =>
        Random(RandomKind.RandInt, generator, shape, dtype, device, low, high);

    /// <summary>A random permutation of 0..n-1 (int64, CPU).</summary>
    public static Tensor RandPerm(long n, Generator generator) =>
        Wrap(NativeMethods.atn_randperm(n, generator.Handle), "randperm");

    /// <summary>Concatenates along <paramref name="dim"/>.</summary>
    public static Tensor Cat(ReadOnlySpan<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: false);

    /// <summary>Stacks along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor Stack(ReadOnlySpan<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: true);

    private static Tensor Combine(ReadOnlySpan<Tensor> tensors, long dim, bool stack)
    {
        Span<IntPtr> handles = tensors.Length <= 64 ? stackalloc IntPtr[tensors.Length] : new IntPtr[tensors.Length];
        for (var i = 0; i < tensors.Length; i++) handles[i] = RawOrZero(tensors[i]);
        var result = stack
            ? NativeMethods.atn_stack(handles, handles.Length, dim)
            : NativeMethods.atn_cat(handles, handles.Length, dim);
        foreach (var t in tensors) GC.KeepAlive(t);
        return Wrap(result, stack ? "stack" : "cat");
    }

    private static Tensor Fill(FillKind kind, ReadOnlySpan<long> shape, DType dtype, Device? device, double value)
    {
        var dev = device ?? Device.Cpu;
        return Wrap(NativeMethods.atn_fill((int)kind, shape, shape.Length, (int)dtype, (int)dev.Type, dev.Index, value), kind.ToString().ToLowerInvariant());
    }

    private static Tensor Random(RandomKind kind, Generator generator, ReadOnlySpan<long> shape, DType dtype, Device? device, double a, double b)
    {
        var dev = device ?? Device.Cpu;
        return Wrap(NativeMethods.atn_random((int)kind, generator.Handle, shape, shape.Length, (int)dtype, (int)dev.Type, dev.Index, a, b), kind.ToString().ToLowerInvariant());
    }

    // ---- in-place random fills (initialisation) ----

    /// <summary>Fills in place with uniform samples in [low, high).</summary>
    public Tensor UniformInPlace(double low, double high, Generator generator)
    {
        NativeErrors.Check(NativeMethods.atn_random_((int)RandomKind.Uniform, _handle, generator.Handle, low, high), "uniform_");
        return this;
    }

    /// <summary>Fills in place with Normal(mean, std) samples.</summary>
    public Tensor NormalInPlace(double mean, double std, Generator generator)
    {
        NativeErrors.Check(NativeMethods.atn_random_((int)RandomKind.Normal, _handle, generator.Handle, mean, std), "normal_");
        return this;
    }

    // ---- host copies ----

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, whose length must equal <see cref="NumEl"/>.</summary>
    public unsafe void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        CheckElementType<T>("copy to host");
        fixed (T* p = destination)
            NativeErrors.Check(NativeMethods.atn_copy_to_host(_handle, p, (long)destination.Length * sizeof(T)), "copy to host");
    }

    /// <summary>Overwrites the elements from <paramref name="source"/> (row-major), whose length must equal <see cref="NumEl"/>.</summary>
    public unsafe void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        CheckElementType<T>("copy from host");
        fixed (T* p = source)
            NativeErrors.Check(NativeMethods.atn_copy_from_host(_handle, p, (long)source.Length * sizeof(T)), "copy from host");
    }

    /// <summary>The elements as a new array.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[checked((int)NumEl)];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The single element of a one-element tensor, as a double.</summary>
    public double Item()
    {
        NativeErrors.Check(NativeMethods.atn_item(_handle, out var v), "item");
        return v;
    }

    /// <summary>The single element of a one-element tensor, as an int64.</summary>
    public long ItemInt64()
    {
        NativeErrors.Check(NativeMethods.atn_item_int64(_handle, out var v), "item");
        return v;
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor as a span over native memory (no copy). Valid while the tensor lives.
    /// </summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckElementType<T>("AsSpan");
        if (!IsContiguous) throw new InvalidOperationException("AsSpan needs a contiguous tensor; call Contiguous() first");
        var p = NativeErrors.Check(NativeMethods.atn_data_ptr(_handle), "data_ptr");
        return new Span<T>((void*)p, checked((int)NumEl));
    }

    /// <summary>Address of the first element of a CPU tensor.</summary>
    internal IntPtr DataPointer => NativeErrors.Check(NativeMethods.atn_data_ptr(_handle), "data_ptr");

    /// <summary>Converts dtype and/or device (returns a new handle even when nothing changes).</summary>
    public Tensor To(DType dtype, Device? device = null)
    {
        var dev = device ?? Device;
        return Wrap(NativeMethods.atn_to(_handle, (int)dtype, (int)dev.Type, dev.Index), "to");
    }

    /// <summary>Moves to <paramref name="device"/> keeping the dtype.</summary>
    public Tensor To(Device device) => To(DType, device);

    private void CheckElementType<T>(string operation) where T : unmanaged
    {
        var expected = DTypeExtensions.Of<T>();
        var actual = DType;
        if (expected != actual)
            throw new TorchException(operation, $"the tensor holds {actual} but the buffer is {typeof(T).Name} ({expected})");
    }
}
