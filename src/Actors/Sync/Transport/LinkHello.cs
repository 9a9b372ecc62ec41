using System.Text;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The first frame on every sync connection: the job's data-link token, who connects, for what, and how the data
/// will flow. <see cref="Role"/> 0 is the side connection (which also carries the setup), 1 the TCP data connection.
/// The token comes first, so a listener can drop a stranger right after reading at most <see cref="MaxEncodedBytes"/>.
/// </summary>
internal sealed record LinkHello(
    byte[] Token, string Group, string Purpose, int FromRank, int Role, bool SharedMemory, string? SharedMemoryPath, int Slots, int SlotBytes)
{
    public const string Magic = "actortrain-sync/2";
    public const int SideRole = 0;
    public const int DataRole = 1;

    /// <summary>
    /// Largest hello (or hello reply) a peer may announce: all a connection can make a listener reserve before it
    /// has shown the token. Real hellos are a few hundred bytes (the longest part is a shared-memory file path).
    /// </summary>
    public const int MaxEncodedBytes = 4096;

    public byte[] Encode()
    {
        var writer = new SyncWire.Writer().ArrayHeader(10)
            .String(Magic).Bin(Token).String(Group).String(Purpose).Int(FromRank).Int(Role).Int(SharedMemory ? 1 : 0)
            .Apply(w => SharedMemoryPath is null ? w.Nil() : w.String(SharedMemoryPath))
            .Int(Slots).Int(SlotBytes);
        if (writer.Length > MaxEncodedBytes)
            throw new ArgumentException($"sync hello of {writer.Length} bytes exceeds {MaxEncodedBytes}: is the shared-memory directory path that long? ({Encoding.UTF8.GetByteCount(SharedMemoryPath ?? "")} bytes)");
        return writer.Written.ToArray();
    }

    public static LinkHello Decode(ReadOnlySpan<byte> frame)
    {
        var reader = new SyncWire.Reader(frame);
        if (reader.ArrayHeader() != 10) throw new InvalidDataException("sync hello must be a 10-element array");
        string magic = reader.String();
        if (magic != Magic) throw new InvalidDataException($"unexpected protocol '{magic}', expected '{Magic}'");
        return new LinkHello(reader.Bin().ToArray(), reader.String(), reader.String(), (int)reader.Int(), (int)reader.Int(), reader.Int() != 0,
            reader.TryNil() ? null : reader.String(), (int)reader.Int(), (int)reader.Int());
    }

    /// <summary>The accepting side's answer: [1, ""] or [0, reason].</summary>
    public static byte[] EncodeReply(string? error) =>
        new SyncWire.Writer().ArrayHeader(2).Int(error is null ? 1 : 0).String(Truncate(error ?? "")).Written.ToArray();

    /// <summary>Returns null for acceptance, else the reason given.</summary>
    public static string? DecodeReply(ReadOnlySpan<byte> frame)
    {
        var reader = new SyncWire.Reader(frame);
        if (reader.ArrayHeader() != 2) throw new InvalidDataException("sync hello reply must be a 2-element array");
        bool ok = reader.Int() == 1;
        string reason = reader.String();
        return ok ? null : reason;
    }

    private static string Truncate(string reason) => reason.Length <= 1000 ? reason : reason[..1000] + "…";
}
