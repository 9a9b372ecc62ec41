using System.Runtime.InteropServices;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

/// <summary>
/// A training step allocates and frees the same activations every step, on a worker thread (ranks compute on .NET
/// threads, so glibc serves them from a per-thread arena). The native layer raises glibc's mmap and trim thresholds
/// when it loads, so that memory stays in the process; otherwise every step page-faulted and zero-filled its
/// activations again (the forward pass ran 60 % slower). Observable here: a tensor of up to 32 MiB no longer gets a
/// mapping of its own (mallinfo2's hblkhd, the bytes in mmapped chunks, does not grow by it).
/// </summary>
[Collection(nameof(TensorMemoryReuseTests))] // alone: another test's large allocation would move the counter
public sealed partial class TensorMemoryReuseTests
{
    [Fact]
    public void A_30_MiB_tensor_comes_from_the_malloc_arenas_not_from_a_mapping_of_its_own()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var scope = TensorScope.Enter();
        using var _ = Tensor.Zeros([1]); // the native layer is loaded (its settings applied) before the first reading
        const long floats = 30L * 1024 * 1024 / sizeof(float);
        nuint before = MallInfo2().MmappedBytes;
        using var big = Tensor.Full([floats], 1.0);
        nuint after = MallInfo2().MmappedBytes;
        Assert.True(after - before < 30u * 1024 * 1024,
            $"a 30 MiB tensor added {(long)(after - before) / 1024 / 1024} MiB of mmapped chunks: glibc's default thresholds are in force");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo
    {
        public nuint Arena, OrdinaryBlocks, SmallBlocks, MmappedChunks, MmappedBytes, MaxTotal, FastBytes, InUse, Free, KeepCost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial MallInfo MallInfo2();
}

/// <summary>Runs <see cref="TensorMemoryReuseTests"/> with no other test in parallel.</summary>
[CollectionDefinition(nameof(TensorMemoryReuseTests), DisableParallelization = true)]
public sealed class TensorMemoryReuseCollection;
