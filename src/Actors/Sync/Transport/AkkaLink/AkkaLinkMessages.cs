using ActorTrain.Cluster.Serialization;
using MessagePack;

namespace ActorTrain.Actors.Sync.Transport.AkkaLink;

/// <summary>
/// One piece of a data frame on an <c>akka</c> link, told to the peer's link actor. A frame is cut into pieces of at
/// most the Akka.Remote frame size (minus room for the envelope); a zero-length frame is one empty piece.
/// Every message of a link carries the job's data-link token, which the receiving link checks.
/// </summary>
/// <param name="Token">The job's data-link token.</param>
/// <param name="FrameSequence">Which frame of this link direction (0, 1, ...).</param>
/// <param name="FrameLength">The whole frame's length in bytes.</param>
/// <param name="Offset">Where <paramref name="Bytes"/> starts in the frame.</param>
/// <param name="Bytes">The piece.</param>
[MessagePackObject]
public sealed record DataChunk(
    [property: Key(0)] byte[] Token,
    [property: Key(1)] long FrameSequence,
    [property: Key(2)] int FrameLength,
    [property: Key(3)] int Offset,
    [property: Key(4)] byte[] Bytes) : IMessageContract;

/// <summary>The receiver of an <c>akka</c> link consumed <paramref name="Chunks"/> pieces: the sender may send that many more.</summary>
/// <param name="Token">The job's data-link token.</param>
/// <param name="Chunks">Pieces consumed.</param>
[MessagePackObject]
public sealed record ChunkCredit([property: Key(0)] byte[] Token, [property: Key(1)] int Chunks) : IMessageContract;

/// <summary>The peer aborted its end of an <c>akka</c> link (its group is failing): blocked operations here fail too.</summary>
/// <param name="Token">The job's data-link token.</param>
/// <param name="Reason">Why, in words.</param>
[MessagePackObject]
public sealed record DataLinkAborted([property: Key(0)] byte[] Token, [property: Key(1)] string Reason) : IMessageContract;
