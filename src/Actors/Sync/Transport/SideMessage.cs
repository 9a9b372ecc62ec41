namespace ActorTrain.Actors.Sync.Transport;

/// <summary>What arrived (or failed to) on a link's side connection, which carries only control traffic.</summary>
internal sealed record SideMessage(SideMessageKind Kind, int? FailedRank, string? FailedPeer, string Reason);

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
