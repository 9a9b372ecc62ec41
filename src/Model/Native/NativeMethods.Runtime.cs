using System.Runtime.InteropServices;

namespace ActorTrain.Model.Native;

/// <summary>P/Invoke declarations for native/include/actortrain_native.h (runtime, errors, generators).</summary>
internal static partial class NativeMethods
{
    private const string Lib = NativeLibraryResolver.LibraryName;

    [LibraryImport(Lib)] internal static partial IntPtr atn_last_error();
    [LibraryImport(Lib)] internal static partial void atn_free_string(IntPtr s);

    [LibraryImport(Lib)] internal static partial int atn_torch_version(out int major, out int minor, out int patch);
    [LibraryImport(Lib)] internal static partial long atn_live_tensors();
    [LibraryImport(Lib)] internal static partial int atn_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int atn_get_num_threads();
    [LibraryImport(Lib)] internal static partial int atn_get_blas_num_threads();
    [LibraryImport(Lib)] internal static partial int atn_set_num_interop_threads(int n);
    [LibraryImport(Lib)] internal static partial int atn_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int atn_cuda_device_count();
    [LibraryImport(Lib)] internal static partial int atn_manual_seed(ulong seed);

    [LibraryImport(Lib)] internal static partial IntPtr atn_generator_new(ulong seed);
    [LibraryImport(Lib)] internal static partial void atn_generator_free(IntPtr g);
    [LibraryImport(Lib)] internal static partial int atn_generator_set_seed(GeneratorHandle g, ulong seed);
    [LibraryImport(Lib)] internal static partial long atn_generator_get_state(GeneratorHandle g, Span<byte> buf, long cap);
    [LibraryImport(Lib)] internal static partial int atn_generator_set_state(GeneratorHandle g, ReadOnlySpan<byte> buf, long len);

    [LibraryImport(Lib)] internal static partial int atn_grad_enabled();
    [LibraryImport(Lib)] internal static partial int atn_set_grad_enabled(int enabled);

    [LibraryImport(Lib)]
    internal static unsafe partial IntPtr atn_register_grad_ready_hook(TensorHandle t, delegate* unmanaged<long, void> fn, long tag);
    [LibraryImport(Lib)] internal static partial void atn_hook_free(IntPtr h);
}
