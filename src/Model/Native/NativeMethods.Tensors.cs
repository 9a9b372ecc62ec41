using System.Runtime.InteropServices;

namespace ActorTrain.Model.Native;

/// <summary>P/Invoke declarations: tensor creation, metadata, copies, random draws, autograd.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial void atn_free(IntPtr t);
    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr atn_from_data(void* data, int dtype, ReadOnlySpan<long> dims, int ndim, int deviceType, int deviceIndex);
    [LibraryImport(Lib)]
    internal static partial IntPtr atn_fill(int kind, ReadOnlySpan<long> dims, int ndim, int dtype, int deviceType, int deviceIndex, double value);
    [LibraryImport(Lib)]
    internal static partial IntPtr atn_arange(long start, long end, long step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial IntPtr atn_shallow_copy(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_dim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_shape(TensorHandle t, Span<long> output, int cap);
    [LibraryImport(Lib)] internal static partial int atn_strides(TensorHandle t, Span<long> output, int cap);
    [LibraryImport(Lib)] internal static partial long atn_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_device(TensorHandle t, out int deviceType, out int deviceIndex);
    [LibraryImport(Lib)] internal static partial int atn_is_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial IntPtr atn_data_ptr(TensorHandle t);
    [LibraryImport(Lib)] internal static unsafe partial int atn_copy_to_host(TensorHandle t, void* dst, long nbytes);
    [LibraryImport(Lib)] internal static unsafe partial int atn_copy_from_host(TensorHandle t, void* src, long nbytes);
    [LibraryImport(Lib)] internal static partial IntPtr atn_to(TensorHandle t, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial int atn_item(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int atn_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static partial IntPtr atn_alias_storage(TensorHandle b, long offset, ReadOnlySpan<long> dims, int ndim);

    [LibraryImport(Lib)]
    internal static partial IntPtr atn_random(int kind, GeneratorHandle g, ReadOnlySpan<long> dims, int ndim, int dtype, int deviceType, int deviceIndex, double a, double b);
    [LibraryImport(Lib)] internal static partial int atn_random_(int kind, TensorHandle t, GeneratorHandle g, double a, double b);
    [LibraryImport(Lib)] internal static partial IntPtr atn_randperm(long n, GeneratorHandle g);

    [LibraryImport(Lib)] internal static partial int atn_requires_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int atn_is_leaf(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int atn_backward(TensorHandle t, IntPtr grad, int retainGraph);
    [LibraryImport(Lib)] internal static partial int atn_grad(TensorHandle t, out IntPtr grad);
    [LibraryImport(Lib)] internal static partial int atn_set_grad(TensorHandle t, IntPtr grad);
}
