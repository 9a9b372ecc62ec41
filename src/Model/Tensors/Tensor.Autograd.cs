using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor (settable on leaves).</summary>
    public bool RequiresGrad
    {
        get => NativeErrors.Check(NativeMethods.atn_requires_grad(_handle), "requires_grad") != 0;
        set => NativeErrors.Check(NativeMethods.atn_set_requires_grad(_handle, value ? 1 : 0), "requires_grad_");
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this.</summary>
    public Tensor RequiresGradInPlace(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Whether this is a leaf of the autograd graph (gradients accumulate into its <see cref="Grad"/>).</summary>
    public bool IsLeaf => NativeErrors.Check(NativeMethods.atn_is_leaf(_handle), "is_leaf") != 0;

    /// <summary>Back-propagates from this tensor (a scalar unless <paramref name="gradient"/> is given).</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        var g = RawOrZero(gradient);
        NativeErrors.Check(NativeMethods.atn_backward(_handle, g, retainGraph ? 1 : 0), "backward");
        GC.KeepAlive(gradient);
    }

    /// <summary>
    /// The accumulated gradient as a new handle on the same memory (null when undefined); setting assigns the
    /// .grad tensor itself (null makes it undefined). The returned tensor belongs to the current scope.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            NativeErrors.Check(NativeMethods.atn_grad(_handle, out var g), "grad");
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
        set
        {
            NativeErrors.Check(NativeMethods.atn_set_grad(_handle, RawOrZero(value)), "set grad");
            GC.KeepAlive(value);
        }
    }
}
