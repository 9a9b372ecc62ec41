using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

/// <summary>
/// A libtorch tensor. Owns one native handle (freed by <see cref="Dispose"/>, by the enclosing
/// <see cref="TensorScope"/>, or at worst by the finalizer). Ops return new tensors registered in the current scope.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private TensorHandle _handle;

    private Tensor(IntPtr nativeHandle)
    {
        _handle = new TensorHandle(nativeHandle);
        TensorScope.Current?.Track(this);
    }

    /// <summary>The scope that frees this tensor, or null when the caller owns it.</summary>
    internal TensorScope? Scope { get; set; }

    internal TensorHandle Handle => _handle;

    /// <summary>Wraps a fresh native handle; throws the shim's error when it is null.</summary>
    internal static Tensor Wrap(IntPtr nativeHandle, string operation) =>
        new(NativeErrors.Check(nativeHandle, operation));

    /// <summary>Raw handle for nullable arguments (the caller keeps <paramref name="tensor"/> alive across the call).</summary>
    internal static IntPtr RawOrZero(Tensor? tensor)
    {
        if (tensor is null) return IntPtr.Zero;
        ObjectDisposedException.ThrowIf(tensor._handle.IsClosed, tensor);
        return tensor._handle.DangerousGetHandle();
    }

    /// <summary>Points this tensor object at another native tensor (used to rebind parameters into flat buffers).</summary>
    internal void Rebind(IntPtr nativeHandle)
    {
        var old = _handle;
        _handle = new TensorHandle(NativeErrors.Check(nativeHandle, "rebind"));
        old.Dispose();
    }

    /// <summary>Whether the native handle has been freed.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Moves this tensor to the scope enclosing its current one (or out of all scopes) and returns it.</summary>
    public Tensor MoveToOuterScope()
    {
        var outer = Scope?.Outer;
        Scope = null;
        outer?.Track(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller (or a module) owns it from now on.</summary>
    public Tensor DetachFromScope()
    {
        Scope = null;
        return this;
    }

    /// <summary>Frees the native tensor now.</summary>
    public void Dispose() => _handle.Dispose();

    // ---- metadata ----

    /// <summary>Number of dimensions.</summary>
    public int Dim => NativeErrors.Check(NativeMethods.atn_dim(_handle), "dim");

    /// <summary>Total element count.</summary>
    public long NumEl => NativeErrors.Check(NativeMethods.atn_numel(_handle), "numel");

    /// <summary>The shape (allocates; prefer <see cref="Size"/> on hot paths).</summary>
    public long[] Shape
    {
        get
        {
            Span<long> buffer = stackalloc long[16];
            var n = NativeErrors.Check(NativeMethods.atn_shape(_handle, buffer, buffer.Length), "shape");
            if (n > buffer.Length)
            {
                buffer = new long[n];
                NativeMethods.atn_shape(_handle, buffer, n);
            }
            return buffer[..n].ToArray();
        }
    }

    /// <summary>The strides in elements.</summary>
    public long[] Strides
    {
        get
        {
            var strides = new long[Dim];
            NativeErrors.Check(NativeMethods.atn_strides(_handle, strides, strides.Length), "strides");
            return strides;
        }
    }

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        Span<long> buffer = stackalloc long[16];
        var n = NativeErrors.Check(NativeMethods.atn_shape(_handle, buffer, buffer.Length), "size");
        var d = dim < 0 ? dim + n : dim;
        if (d < 0 || d >= n || d >= buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"tensor has {n} dimensions");
        return buffer[d];
    }

    /// <summary>The element type.</summary>
    public DType DType => (DType)NativeErrors.Check(NativeMethods.atn_dtype(_handle), "dtype");

    /// <summary>The device holding the data.</summary>
    public Device Device
    {
        get
        {
            NativeErrors.Check(NativeMethods.atn_device(_handle, out var type, out var index), "device");
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>Whether the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => NativeErrors.Check(NativeMethods.atn_is_contiguous(_handle), "is_contiguous") != 0;

    /// <inheritdoc />
    public override string ToString() =>
        IsDisposed ? "Tensor(disposed)" : $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={DType}, device={Device})";
}
