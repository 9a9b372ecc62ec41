using System.Buffers;
using System.Text;
using MessagePack;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// The first frame on every sync connection: the job's data-link token, who connects, for what, and how the data
/// will flow. <see cref="Role"/> 0 is the side connection (which also carries the setup), 1 the TCP data connection.
/// <see cref="ActorPath"/> is set for an <c>akka</c> link: the connecting side's link actor (the reply names the other's).
/// A MessagePack map; a listener reads at most <see cref="MaxEncodedBytes"/> of it before it checks the token.
/// </summary>
internal sealed record LinkHello(
    byte[] Token, string Group, string Purpose, int FromRank, int Role, bool SharedMemory, string? SharedMemoryPath, int Slots, int SlotBytes,
    string? ActorPath = null)
{
    public const string Magic = "actortrain-sync/2";
    public const int SideRole = 0;
    public const int DataRole = 1;

    /// <summary>
    /// Largest hello (or hello reply) a peer may announce: all a connection can make a listener reserve before it
    /// has shown the token. Real hellos are a few hundred bytes (the longest part is a shared-memory file path).
    /// </summary>
    public const int MaxEncodedBytes = 4096;

    private const string What = "sync hello";

    public byte[] Encode()
    {
        byte[] bytes = SyncMessage.Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader(11);
            w.Write("protocol"); w.Write(Magic);
            w.Write("token"); w.Write(Token);
            w.Write("group"); w.Write(Group);
            w.Write("purpose"); w.Write(Purpose);
            w.Write("from"); w.Write(FromRank);
            w.Write("role"); w.Write(Role);
            w.Write("shared-memory"); w.Write(SharedMemory);
            w.Write("path"); SyncMessage.WriteNullable(ref w, SharedMemoryPath);
            w.Write("slots"); w.Write(Slots);
            w.Write("slot-bytes"); w.Write(SlotBytes);
            w.Write("akka-actor"); SyncMessage.WriteNullable(ref w, ActorPath);
        });
        if (bytes.Length > MaxEncodedBytes)
            throw new ArgumentException($"sync hello of {bytes.Length} bytes exceeds {MaxEncodedBytes}: is the shared-memory directory path that long? ({Encoding.UTF8.GetByteCount(SharedMemoryPath ?? "")} bytes)");
        return bytes;
    }

    public static LinkHello Decode(ReadOnlyMemory<byte> frame) => SyncMessage.Decode(frame, What, (ref MessagePackReader r) =>
    {
        string? magic = null, group = null, purpose = null, path = null, actor = null;
        byte[]? token = null;
        int? from = null, role = null, slots = null, slotBytes = null;
        bool? shared = null;
        SyncMessage.ReadMap(ref r, What, (string key, ref MessagePackReader v) =>
        {
            switch (key)
            {
                case "protocol": magic = v.ReadString(); break;
                case "token": token = v.ReadBytes()?.ToArray(); break;
                case "group": group = v.ReadString(); break;
                case "purpose": purpose = v.ReadString(); break;
                case "from": from = v.ReadInt32(); break;
                case "role": role = v.ReadInt32(); break;
                case "shared-memory": shared = v.ReadBoolean(); break;
                case "path": path = SyncMessage.ReadNullableString(ref v); break;
                case "slots": slots = v.ReadInt32(); break;
                case "slot-bytes": slotBytes = v.ReadInt32(); break;
                case "akka-actor": actor = SyncMessage.ReadNullableString(ref v); break;
                default: v.Skip(); break;
            }
        });
        if (magic != Magic) throw new InvalidDataException($"unexpected protocol '{magic}', expected '{Magic}'");
        return new LinkHello(SyncMessage.Required(token, "token", What), SyncMessage.Required(group, "group", What),
            SyncMessage.Required(purpose, "purpose", What), SyncMessage.Required(from, "from", What), SyncMessage.Required(role, "role", What),
            SyncMessage.Required(shared, "shared-memory", What), path, SyncMessage.Required(slots, "slots", What),
            SyncMessage.Required(slotBytes, "slot-bytes", What), actor);
    });

    /// <summary>
    /// The accepting side's answer: {"ok": true} or {"ok": false, "reason": why}, plus "akka-actor" (the accepting
    /// side's link actor) for an <c>akka</c> link.
    /// </summary>
    public static byte[] EncodeReply(string? error, string? actorPath = null) => SyncMessage.Encode((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(actorPath is null ? 2 : 3);
        w.Write("ok"); w.Write(error is null);
        w.Write("reason"); w.Write(Truncate(error ?? ""));
        if (actorPath is not null) { w.Write("akka-actor"); w.Write(actorPath); }
    });

    /// <summary>Returns null for acceptance, else the reason given.</summary>
    public static string? DecodeReply(ReadOnlyMemory<byte> frame) => DecodeReply(frame, out _);

    /// <summary>Returns null for acceptance, else the reason given; <paramref name="actorPath"/> gets the "akka-actor" entry, if any.</summary>
    public static string? DecodeReply(ReadOnlyMemory<byte> frame, out string? actorPath)
    {
        string? actor = null;
        string? refusal = DecodeReplyMap(frame, a => actor = a);
        actorPath = actor;
        return refusal;
    }

    private static string? DecodeReplyMap(ReadOnlyMemory<byte> frame, Action<string?> onActor) => SyncMessage.Decode(frame, "sync hello reply", (ref MessagePackReader r) =>
    {
        bool? ok = null;
        string reason = "";
        SyncMessage.ReadMap(ref r, "sync hello reply", (string key, ref MessagePackReader v) =>
        {
            switch (key)
            {
                case "ok": ok = v.ReadBoolean(); break;
                case "reason": reason = v.ReadString() ?? ""; break;
                case "akka-actor": onActor(SyncMessage.ReadNullableString(ref v)); break;
                default: v.Skip(); break;
            }
        });
        return SyncMessage.Required(ok, "ok", "sync hello reply") ? null : reason;
    });

    private static string Truncate(string reason) => reason.Length <= 1000 ? reason : reason[..1000] + "…";
}
