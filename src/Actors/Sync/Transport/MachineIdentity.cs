namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// What makes two ranks "on one machine" for the shared-memory transport: they must run on one kernel and see one
/// tmpfs behind the shared-memory directory. /etc/machine-id alone is not enough on a scheduler: containers of one
/// image may carry the same baked-in id on different machines (the kernel's boot id tells them apart), and two pods
/// on one node share the kernel but each has its own /dev/shm (the mount's device number tells them apart). Ranks that
/// wrongly looked alike would try to map each other's arena file and fail to start.
/// </summary>
public static class MachineIdentity
{
    /// <summary>This process's identity: "machine-id.boot.device", e.g. "3d12…a4.5f0c9e1b.0:27" (the parts that are
    /// readable; the host name stands in for a missing machine-id).</summary>
    public static string Local(string sharedMemoryDirectory = "/dev/shm") => Compose(
        ReadTrimmed("/etc/machine-id") ?? Environment.MachineName,
        ReadTrimmed("/proc/sys/kernel/random/boot_id"),
        ReadTrimmed("/proc/self/mountinfo") is { } mountInfo ? MountDevice(mountInfo, sharedMemoryDirectory) : null);

    /// <summary>Joins the parts that are known; the boot id is shortened to its first 8 hex digits (enough to tell a
    /// job's machines apart, short enough for error messages).</summary>
    public static string Compose(string machineId, string? bootId, string? mountDevice)
    {
        var parts = new List<string> { machineId };
        string boot = (bootId ?? "").Replace("-", "", StringComparison.Ordinal);
        if (boot.Length > 0) parts.Add(boot[..Math.Min(8, boot.Length)]);
        if (!string.IsNullOrEmpty(mountDevice)) parts.Add(mountDevice);
        return string.Join('.', parts);
    }

    /// <summary>
    /// The device ("major:minor") of the mount that holds <paramref name="directory"/>, from /proc/self/mountinfo text:
    /// the mount with the longest mount point that contains it, the last one listed when mounts are stacked on one
    /// point (it hides the earlier ones). Null when no line matches.
    /// </summary>
    public static string? MountDevice(string mountInfo, string directory)
    {
        string path = directory.TrimEnd('/');
        string? device = null;
        int best = -1;
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": field 3 is the device, field 5 the mount point.
            var fields = line.Split(' ');
            if (fields.Length < 5) continue;
            string point = Unescape(fields[4]).TrimEnd('/');
            bool holds = path == point || path.StartsWith(point + "/", StringComparison.Ordinal) || point.Length == 0;
            if (holds && point.Length >= best)
            {
                best = point.Length;
                device = fields[2];
            }
        }
        return device;
    }

    // mountinfo escapes space, tab, newline and backslash as octal (\040 …).
    private static string Unescape(string field) => field
        .Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static string? ReadTrimmed(string file)
    {
        try
        {
            string text = File.ReadAllText(file).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
