using System.Buffers.Binary;
using System.Text;
using ActorTrain.Actors.Sync.Transport;

namespace ActorTrain.Actors.Sync.SharedMemory;

/// <summary>
/// Sets up a <see cref="SharedMemoryArena"/> over the freshly connected ring links: rank 0 creates the file and
/// sends its path to rank 1, each rank maps it and passes the path on, and the last rank's acknowledgement travels
/// back to rank 0, which then unlinks the file (every rank has it mapped, so nothing outlives the processes).
/// </summary>
internal static class ArenaHandshake
{
    /// <summary>
    /// Runs the handshake for <paramref name="rank"/> of <paramref name="world"/>. Blocks; on timeout or cancellation
    /// the links are aborted (the caller disposes them).
    /// </summary>
    public static async Task<SharedMemoryArena> EstablishAsync(
        PeerLink next, PeerLink previous, int rank, int world, GradientSyncOptions options, CancellationToken cancellationToken)
    {
        var work = Task.Factory.StartNew(() => Establish(next, previous, rank, world, options), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await work.WaitAsync(options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            next.Abort();
            previous.Abort();
            try { (await work.ConfigureAwait(false)).Dispose(); }
            catch (Exception) { } // the aborted transfer's own error; the timeout is what the caller needs to hear
            throw;
        }
    }

    private static SharedMemoryArena Establish(PeerLink next, PeerLink previous, int rank, int world, GradientSyncOptions options)
    {
        int chunkBytes = options.SharedMemoryArenaChunkBytes;
        Span<byte> word = stackalloc byte[4];
        if (rank == 0)
        {
            string path = Path.Combine(options.SharedMemoryDirectory, $"actortrain-sync-{Environment.ProcessId}-{Guid.NewGuid():N}.arena");
            try
            {
                var arena = SharedMemoryArena.Create(path, world, options.SharedMemoryArenaSlots, chunkBytes, options.SpinCount);
                try
                {
                    SendPath(next, path);
                    previous.Receive(word); // the last rank has mapped it
                    return arena;
                }
                catch
                {
                    arena.Dispose();
                    throw;
                }
            }
            finally
            {
                File.Delete(path);
            }
        }
        string received = ReceivePath(previous);
        var mapped = SharedMemoryArena.Open(received, world, options.SharedMemoryArenaSlots, chunkBytes, options.SpinCount);
        try
        {
            if (rank < world - 1) SendPath(next, received);
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(word, 1);
                next.Send(word);
            }
            return mapped;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static void SendPath(PeerLink link, string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(path);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        link.Send(length);
        link.Send(bytes);
    }

    private static string ReceivePath(PeerLink link)
    {
        Span<byte> length = stackalloc byte[4];
        link.Receive(length);
        int count = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (count is <= 0 or > 4096) throw new InvalidDataException($"arena path of {count} bytes announced by {link.PeerName}");
        byte[] bytes = new byte[count];
        link.Receive(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
