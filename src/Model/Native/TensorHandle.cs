using System.Runtime.InteropServices;

namespace ActorTrain.Model.Native;

/// <summary>Owns one native at::Tensor handle; released exactly once (Dispose or finalizer).</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.atn_free(handle);
        return true;
    }
}
