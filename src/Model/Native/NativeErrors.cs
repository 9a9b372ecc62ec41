using System.Runtime.InteropServices;
using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Native;

/// <summary>Turns the shim's failure codes into <see cref="TorchException"/>s carrying libtorch's message.</summary>
internal static class NativeErrors
{
    internal static IntPtr Check(IntPtr result, string operation)
    {
        if (result == IntPtr.Zero) throw Last(operation);
        return result;
    }

    internal static int Check(int result, string operation)
    {
        if (result < 0) throw Last(operation);
        return result;
    }

    internal static long Check(long result, string operation)
    {
        if (result < 0) throw Last(operation);
        return result;
    }

    internal static TorchException Last(string operation)
    {
        var message = NativeMethods.atn_last_error();
        if (message == IntPtr.Zero) return new TorchException(operation, "libtorch reported a failure without a message");
        try
        {
            return new TorchException(operation, Marshal.PtrToStringUTF8(message) ?? "");
        }
        finally
        {
            NativeMethods.atn_free_string(message);
        }
    }
}
