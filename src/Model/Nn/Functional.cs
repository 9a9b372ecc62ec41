using ActorTrain.Model.Native;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>Stateless network functions (torch.nn.functional), each one native call.</summary>
public static class Functional
{
    /// <summary>x·Wᵀ + b.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        var result = NativeMethods.atn_linear(input.Handle, weight.Handle, Tensor.RawOrZero(bias));
        GC.KeepAlive(bias);
        return Tensor.Wrap(result, "linear");
    }

    /// <summary>Rows of <paramref name="weight"/> picked by int64 <paramref name="indices"/>.</summary>
    public static Tensor Embedding(Tensor weight, Tensor indices) =>
        Tensor.Wrap(NativeMethods.atn_embedding(weight.Handle, indices.Handle), "embedding");

    /// <summary>Layer normalisation over the last dims given by <paramref name="normalizedShape"/>.</summary>
    public static Tensor LayerNorm(Tensor input, ReadOnlySpan<long> normalizedShape, Tensor? weight, Tensor? bias, double eps = 1e-5)
    {
        var result = NativeMethods.atn_layer_norm(input.Handle, normalizedShape, normalizedShape.Length,
            Tensor.RawOrZero(weight), Tensor.RawOrZero(bias), eps);
        GC.KeepAlive(weight);
        GC.KeepAlive(bias);
        return Tensor.Wrap(result, "layer_norm");
    }

    /// <summary>GELU (exact erf form unless <paramref name="tanhApproximation"/>).</summary>
    public static Tensor Gelu(Tensor input, bool tanhApproximation = false) =>
        Tensor.Wrap(NativeMethods.atn_gelu(input.Handle, tanhApproximation ? 1 : 0), "gelu");

    /// <summary>Inverted dropout; identity when not training or p = 0. With a generator, the mask is reproducible.</summary>
    public static Tensor Dropout(Tensor input, double p, bool training, Generator? generator = null)
    {
        var g = generator is null ? IntPtr.Zero : generator.Handle.DangerousGetHandle();
        var result = NativeMethods.atn_dropout(input.Handle, p, training ? 1 : 0, g);
        GC.KeepAlive(generator);
        return Tensor.Wrap(result, "dropout");
    }

    /// <summary>
    /// softmax(q·kᵀ·scale + mask[:T,:T])·v over (B, H, T, D) tensors; <paramref name="additiveMask"/> holds 0 and -inf.
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? additiveMask, double scale)
    {
        var result = NativeMethods.atn_attention(q.Handle, k.Handle, v.Handle, Tensor.RawOrZero(additiveMask), scale);
        GC.KeepAlive(additiveMask);
        return Tensor.Wrap(result, "attention");
    }

    /// <summary>A (size, size) float mask: 0 on and below the diagonal, -inf above (future positions).</summary>
    public static Tensor CausalMask(long size, DType dtype = DType.Float32, Device? device = null)
    {
        using var full = Tensor.Full([size, size], double.NegativeInfinity, dtype, device);
        return full.Triu(1);
    }
}
