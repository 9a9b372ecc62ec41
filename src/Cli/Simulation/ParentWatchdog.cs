using System.Diagnostics;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// Ends a child node process when the process that launched it (simulate, a test) is gone, so a crashed or killed
/// parent never leaves nodes running. Linux has no portable parent-death signal from .NET, so this polls.
/// </summary>
public static class ParentWatchdog
{
    /// <summary>Starts watching <paramref name="parentPid"/>; calls <paramref name="onParentGone"/> once when it disappears.</summary>
    public static void Start(int parentPid, Action onParentGone)
    {
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(500);
                if (!IsAlive(parentPid)) { onParentGone(); return; }
            }
        }) { IsBackground = true, Name = "parent-watchdog" };
        thread.Start();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
