using System.Runtime.InteropServices;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// Linux futex wait/wake on a word in shared memory (via libc's <c>syscall</c>), so a rank waiting for a peer sleeps
/// in the kernel instead of spinning: on small machines several ranks share few cores. Where futexes are not
/// available (other OS or architecture) waits degrade to a 1 ms sleep poll.
/// </summary>
internal static unsafe partial class Futex
{
    private const int FutexWait = 0; // shared (not FUTEX_PRIVATE): the word lives in a mapping shared by processes
    private const int FutexWake = 1;

    private static readonly long SyscallNumber = !OperatingSystem.IsLinux() ? -1 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number, int* address, int operation, int value, Timespec* timeout, int* address2, int value3);

    /// <summary>Sleeps while <c>*address == expected</c>, at most <paramref name="timeoutMilliseconds"/>; may return spuriously.</summary>
    public static void Wait(int* address, int expected, int timeoutMilliseconds)
    {
        if (SyscallNumber < 0)
        {
            if (Volatile.Read(ref *address) == expected) Thread.Sleep(1);
            return;
        }
        var timeout = new Timespec { Seconds = timeoutMilliseconds / 1000, Nanoseconds = timeoutMilliseconds % 1000 * 1_000_000L };
        Syscall(SyscallNumber, address, FutexWait, expected, &timeout, null, 0);
    }

    /// <summary>Wakes every thread (in any process) sleeping on <paramref name="address"/>.</summary>
    public static void WakeAll(int* address)
    {
        if (SyscallNumber < 0) return;
        Syscall(SyscallNumber, address, FutexWake, int.MaxValue, null, null, 0);
    }
}
