using System.Runtime.InteropServices;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

/// <summary>
/// A training step allocates and frees the same activations every step, on a worker thread (ranks compute on .NET
/// threads, so glibc serves them from a per-thread arena). The native layer keeps that memory in the process;
/// otherwise every step page-faults and zero-fills its activations again (the forward pass ran 60 % slower).
/// </summary>
[Collection(nameof(TensorMemoryReuseTests))] // alone: other tests' allocations in the same arenas would blur the count
public sealed partial class TensorMemoryReuseTests
{
    private const int RusageThread = 1;

    [Fact]
    public void Activations_freed_on_a_worker_thread_are_reused_by_the_next_step_without_new_page_faults()
    {
        if (!OperatingSystem.IsLinux()) return;
        long faultsInLaterSteps = -1, pagesPerStep = 0;
        var worker = new Thread(() =>
        {
            // Four 4 MiB tensors, touched, then all freed: one "step" (more than glibc's default trim threshold after
            // 4 MiB frees, 8 MiB, and well inside one 64 MiB arena heap, which glibc unmaps only once wholly free).
            long[] sizes = [.. Enumerable.Repeat(1024L * 1024, 4)];
            pagesPerStep = sizes.Sum() * sizeof(float) / Environment.SystemPageSize;
            void Step()
            {
                using var scope = TensorScope.Enter();
                foreach (var n in sizes) Tensor.Full([n], 1.0);
            }
            for (int i = 0; i < 3; i++) Step();
            long before = MinorFaults();
            for (int i = 0; i < 8; i++) Step();
            faultsInLaterSteps = MinorFaults() - before;
        });
        worker.Start();
        worker.Join();
        Assert.True(faultsInLaterSteps >= 0);
        // Eight steps touch 8 × pagesPerStep pages. Reused memory faults on few of them (measured: 0-1.5 steps' worth,
        // from other tests' allocations sharing the arena); memory given back to the kernel on every one (≈ 7.7).
        Assert.True(faultsInLaterSteps < 3 * pagesPerStep,
            $"8 steps after warm-up took {faultsInLaterSteps} page faults; one step touches {pagesPerStep} pages");
    }

    private static long MinorFaults()
    {
        var usage = new Rusage();
        Assert.Equal(0, GetRusage(RusageThread, ref usage));
        return usage.MinorFaults;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedSize, UnsharedData, UnsharedStack;
        public long MinorFaults, MajorFaults;
        public long Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, ref Rusage usage);
}

/// <summary>Runs <see cref="TensorMemoryReuseTests"/> with no other test in parallel.</summary>
[CollectionDefinition(nameof(TensorMemoryReuseTests), DisableParallelization = true)]
public sealed class TensorMemoryReuseCollection;
