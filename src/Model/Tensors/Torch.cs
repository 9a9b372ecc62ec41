using ActorTrain.Model.Native;

namespace ActorTrain.Model.Tensors;

/// <summary>Process-wide libtorch settings and queries.</summary>
public static class Torch
{
    /// <summary>Disables gradient recording on this thread until disposed: <c>using (Torch.NoGrad()) { … }</c>.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Enables gradient recording on this thread until disposed.</summary>
    public static GradModeScope EnableGrad() => new(true);

    /// <summary>Whether this thread records gradients.</summary>
    public static bool IsGradEnabled => NativeMethods.atn_grad_enabled() != 0;

    /// <summary>Native tensor handles currently alive (created and not yet freed), across all threads.</summary>
    public static long LiveTensorCount => NativeMethods.atn_live_tensors();

    /// <summary>The libtorch version the shim was compiled against.</summary>
    public static Version LibTorchVersion
    {
        get
        {
            NativeMethods.atn_torch_version(out var major, out var minor, out var patch);
            return new Version(major, minor, patch);
        }
    }

    /// <summary>
    /// Intra-op threads: libtorch's (at::set_num_threads, torch.set_num_threads) and, when libtorch's BLAS is OpenBLAS,
    /// OpenBLAS's own pthreads too, which at::set_num_threads leaves at one per core.
    /// </summary>
    public static int NumThreads
    {
        get => NativeMethods.atn_get_num_threads();
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            NativeErrors.Check(NativeMethods.atn_set_num_threads(value), "set_num_threads");
        }
    }

    /// <summary>OpenBLAS's thread count, or null when libtorch's BLAS is not OpenBLAS.</summary>
    public static int? BlasThreads => NativeMethods.atn_get_blas_num_threads() is var n && n >= 0 ? n : null;

    /// <summary>Inter-op threads; libtorch allows setting this once, before any parallel work.</summary>
    public static void SetNumInteropThreads(int threads) =>
        NativeErrors.Check(NativeMethods.atn_set_num_interop_threads(threads), "set_num_interop_threads");

    /// <summary>Whether libtorch was built with CUDA and sees at least one GPU.</summary>
    public static bool CudaIsAvailable => NativeMethods.atn_cuda_is_available() != 0;

    /// <summary>Number of visible CUDA devices (0 on CPU-only builds).</summary>
    public static int CudaDeviceCount => NativeMethods.atn_cuda_device_count();

    /// <summary>Seeds libtorch's default generator (used only by ops called without an explicit <see cref="Generator"/>).</summary>
    public static void ManualSeed(ulong seed) => NativeErrors.Check(NativeMethods.atn_manual_seed(seed), "manual_seed");
}
