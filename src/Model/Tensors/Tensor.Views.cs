using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

public sealed partial class Tensor
{
    /// <summary>A view with a new shape (one dim may be -1); fails when the strides do not allow it.</summary>
    public Tensor View(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.atn_view(_handle, shape, shape.Length), "view");
    /// <summary>Like <see cref="View"/>, copying when needed.</summary>
    public Tensor Reshape(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.atn_reshape(_handle, shape, shape.Length), "reshape");
    /// <summary>Broadcast view to <paramref name="shape"/>.</summary>
    public Tensor Expand(params ReadOnlySpan<long> shape) => Wrap(NativeMethods.atn_expand(_handle, shape, shape.Length), "expand");
    /// <summary>Reorders dimensions.</summary>
    public Tensor Permute(params ReadOnlySpan<long> dims) => Wrap(NativeMethods.atn_permute(_handle, dims, dims.Length), "permute");
    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.atn_transpose(_handle, dim0, dim1), "transpose");
    /// <summary>The slice [start, start+length) of <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => Wrap(NativeMethods.atn_narrow(_handle, dim, start, length), "narrow");
    /// <summary>Index <paramref name="index"/> of <paramref name="dim"/>, removing that dimension (a view).</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.atn_select(_handle, dim, index), "select");
    /// <summary>Inserts a size-1 dimension.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.atn_unsqueeze(_handle, dim), "unsqueeze");
    /// <summary>Removes a size-1 dimension.</summary>
    public Tensor Squeeze(long dim) => Wrap(NativeMethods.atn_squeeze(_handle, dim), "squeeze");
    /// <summary>Merges dims start..end.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Wrap(NativeMethods.atn_flatten(_handle, startDim, endDim), "flatten");

    /// <summary>Chunks of <paramref name="splitSize"/> along <paramref name="dim"/> (views; the last may be shorter).</summary>
    public Tensor[] Split(long splitSize, long dim)
    {
        if (splitSize <= 0) throw new ArgumentOutOfRangeException(nameof(splitSize), splitSize, "split size must be positive");
        var count = (int)Math.Max(1, (Size((int)dim) + splitSize - 1) / splitSize);
        Span<IntPtr> handles = count <= 32 ? stackalloc IntPtr[count] : new IntPtr[count];
        var n = NativeErrors.Check(NativeMethods.atn_split(_handle, splitSize, dim, handles, count), "split");
        var parts = new Tensor[n];
        for (var i = 0; i < n; i++) parts[i] = new Tensor(handles[i]);
        return parts;
    }
}
