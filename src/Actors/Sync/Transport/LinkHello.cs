namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The first frame on every sync connection: who connects, for what, and how the data will flow.
/// <see cref="Role"/> 0 is the side connection (which also carries the setup), 1 the TCP data connection.
/// </summary>
internal sealed record LinkHello(
    string Group, string Purpose, int FromRank, int Role, bool SharedMemory, string? SharedMemoryPath, int Slots, int SlotBytes)
{
    public const string Magic = "actortrain-sync/1";
    public const int SideRole = 0;
    public const int DataRole = 1;

    public byte[] Encode() => new SyncWire.Writer().ArrayHeader(9)
        .String(Magic).String(Group).String(Purpose).Int(FromRank).Int(Role).Int(SharedMemory ? 1 : 0)
        .Apply(w => SharedMemoryPath is null ? w.Nil() : w.String(SharedMemoryPath))
        .Int(Slots).Int(SlotBytes).Written.ToArray();

    public static LinkHello Decode(ReadOnlySpan<byte> frame)
    {
        var reader = new SyncWire.Reader(frame);
        if (reader.ArrayHeader() != 9) throw new InvalidDataException("sync hello must be a 9-element array");
        string magic = reader.String();
        if (magic != Magic) throw new InvalidDataException($"unexpected protocol '{magic}', expected '{Magic}'");
        return new LinkHello(reader.String(), reader.String(), (int)reader.Int(), (int)reader.Int(), reader.Int() != 0,
            reader.TryNil() ? null : reader.String(), (int)reader.Int(), (int)reader.Int());
    }

    /// <summary>The accepting side's answer: [1, ""] or [0, reason].</summary>
    public static byte[] EncodeReply(string? error) =>
        new SyncWire.Writer().ArrayHeader(2).Int(error is null ? 1 : 0).String(error ?? "").Written.ToArray();

    /// <summary>Returns null for acceptance, else the reason given.</summary>
    public static string? DecodeReply(ReadOnlySpan<byte> frame)
    {
        var reader = new SyncWire.Reader(frame);
        if (reader.ArrayHeader() != 2) throw new InvalidDataException("sync hello reply must be a 2-element array");
        bool ok = reader.Int() == 1;
        string reason = reader.String();
        return ok ? null : reason;
    }
}
