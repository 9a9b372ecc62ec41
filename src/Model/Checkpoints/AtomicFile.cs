using System.Runtime.InteropServices;

namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Writes files so that a reader sees either the old content or the complete new one, never a
/// half-written file, even across a crash or power loss: write a temp file in the same directory,
/// flush it to disk (fsync), rename it over the target, then fsync the directory so the rename itself
/// is durable (on Linux; skipped where directories cannot be synced).
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with the content produced by <paramref name="write"/>.</summary>
    /// <remarks>If <paramref name="write"/> throws, the target is untouched and the temp file is removed.</remarks>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no parent directory.", nameof(path));
        Directory.CreateDirectory(directory);
        var tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
        SyncDirectory(directory);
    }

    /// <summary>Writes all of <paramref name="bytes"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text)
        => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// Deletes <paramref name="path"/> if it exists and makes the deletion durable (directory fsync).
    /// </summary>
    public static void DeleteDurably(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                SyncDirectory(directory);
            }
        }
    }

    /// <summary>fsyncs a directory so renames and deletions in it survive a crash (Linux only; best effort elsewhere).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            var fd = NativeMethods.Open(directory, 0 /* O_RDONLY */);
            if (fd < 0)
            {
                return;
            }
            try
            {
                _ = NativeMethods.FSync(fd);
            }
            finally
            {
                _ = NativeMethods.Close(fd);
            }
        }
        catch (DllNotFoundException)
        {
            // No libc by that name: the rename is still atomic, only its durability is best-effort.
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libc.so.6", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);

        [LibraryImport("libc.so.6", EntryPoint = "fsync")]
        internal static partial int FSync(int fd);

        [LibraryImport("libc.so.6", EntryPoint = "close")]
        internal static partial int Close(int fd);
    }
}
