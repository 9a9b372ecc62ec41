using MessagePack;

namespace ActorTrain.Actors.Sync.Transport;

/// <summary>
/// What arrived (or failed to) on a link's side connection, which carries only control traffic. On the wire a
/// MessagePack map {"kind", "failed-rank", "failed-peer", "reason"} (nil where unknown).
/// </summary>
internal sealed record SideMessage(SideMessageKind Kind, int? FailedRank, string? FailedPeer, string Reason)
{
    private const string What = "side message";

    public byte[] Encode() => SyncMessage.Encode((ref MessagePackWriter w) =>
    {
        w.WriteMapHeader(4);
        w.Write("kind"); w.Write((int)Kind);
        w.Write("failed-rank"); SyncMessage.WriteNullable(ref w, FailedRank);
        w.Write("failed-peer"); SyncMessage.WriteNullable(ref w, FailedPeer);
        w.Write("reason"); w.Write(Reason);
    });

    public static SideMessage Decode(ReadOnlyMemory<byte> frame) => SyncMessage.Decode(frame, What, (ref MessagePackReader r) =>
    {
        int? kind = null, failedRank = null;
        string? failedPeer = null, reason = null;
        SyncMessage.ReadMap(ref r, What, (string key, ref MessagePackReader v) =>
        {
            switch (key)
            {
                case "kind": kind = v.ReadInt32(); break;
                case "failed-rank": failedRank = SyncMessage.ReadNullableInt(ref v); break;
                case "failed-peer": failedPeer = SyncMessage.ReadNullableString(ref v); break;
                case "reason": reason = v.ReadString(); break;
                default: v.Skip(); break;
            }
        });
        return new SideMessage((SideMessageKind)SyncMessage.Required(kind, "kind", What), failedRank, failedPeer, SyncMessage.Required(reason, "reason", What));
    });
}

/// <summary>Kinds of <see cref="SideMessage"/>.</summary>
internal enum SideMessageKind
{
    /// <summary>The peer's group failed; the fields say who was responsible.</summary>
    Abort = 1,

    /// <summary>The peer shut its sync down in an orderly way.</summary>
    Goodbye = 2,

    /// <summary>The side connection ended without a message: the peer process is gone.</summary>
    Lost = 3,
}
