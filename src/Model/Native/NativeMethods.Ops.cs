using System.Runtime.InteropServices;

namespace ActorTrain.Model.Native;

/// <summary>P/Invoke declarations: element-wise, reduction, view and nn-functional ops.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)] internal static partial IntPtr atn_unary(int op, TensorHandle a);
    [LibraryImport(Lib)] internal static partial int atn_unary_(int op, TensorHandle a);
    [LibraryImport(Lib)] internal static partial IntPtr atn_binary(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial int atn_binary_(int op, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr atn_scalar(int op, TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial int atn_scalar_(int op, TensorHandle a, double s);
    [LibraryImport(Lib)] internal static partial IntPtr atn_add_scaled(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial int atn_add_scaled_(TensorHandle a, TensorHandle b, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr atn_reduce(int op, TensorHandle a, ReadOnlySpan<long> dims, int ndims, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_softmax(TensorHandle a, long dim, int log);
    [LibraryImport(Lib)] internal static partial IntPtr atn_masked_fill(TensorHandle a, TensorHandle mask, double value);
    [LibraryImport(Lib)] internal static partial int atn_masked_fill_(TensorHandle a, TensorHandle mask, double value);
    [LibraryImport(Lib)] internal static partial IntPtr atn_where(TensorHandle cond, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial IntPtr atn_clamp(TensorHandle a, double lo, double hi);
    [LibraryImport(Lib)] internal static partial IntPtr atn_triangle(TensorHandle a, long diagonal, int upper);
    [LibraryImport(Lib)] internal static partial IntPtr atn_index_select(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr atn_gather(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial IntPtr atn_cat(ReadOnlySpan<IntPtr> ts, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_stack(ReadOnlySpan<IntPtr> ts, int n, long dim);
    [LibraryImport(Lib)] internal static partial int atn_allclose(TensorHandle a, TensorHandle b, double rtol, double atol);

    [LibraryImport(Lib)] internal static partial IntPtr atn_view(TensorHandle a, ReadOnlySpan<long> dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_reshape(TensorHandle a, ReadOnlySpan<long> dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_expand(TensorHandle a, ReadOnlySpan<long> dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_permute(TensorHandle a, ReadOnlySpan<long> dims, int ndim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_transpose(TensorHandle a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial IntPtr atn_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr atn_select(TensorHandle a, long dim, long index);
    [LibraryImport(Lib)] internal static partial IntPtr atn_unsqueeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_squeeze(TensorHandle a, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr atn_flatten(TensorHandle a, long startDim, long endDim);
    [LibraryImport(Lib)] internal static partial int atn_split(TensorHandle a, long splitSize, long dim, Span<IntPtr> output, int cap);

    [LibraryImport(Lib)] internal static partial IntPtr atn_linear(TensorHandle x, TensorHandle w, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr atn_embedding(TensorHandle weight, TensorHandle indices);
    [LibraryImport(Lib)]
    internal static partial IntPtr atn_layer_norm(TensorHandle x, ReadOnlySpan<long> normalizedShape, int ndim, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr atn_gelu(TensorHandle x, int tanhApproximation);
    [LibraryImport(Lib)] internal static partial IntPtr atn_dropout(TensorHandle x, double p, int train, IntPtr generator);
    [LibraryImport(Lib)]
    internal static partial IntPtr atn_cross_entropy(TensorHandle logits, TensorHandle targets, long ignoreIndex, int reduction, double labelSmoothing);
    [LibraryImport(Lib)]
    internal static partial IntPtr atn_attention(TensorHandle q, TensorHandle k, TensorHandle v, IntPtr additiveMask, double scale);
}
