namespace ActorTrain.Actors.Sync.Transport;

/// <summary>An operation on a <see cref="PeerLink"/> failed: the connection broke, or the peer sent something unexpected.</summary>
internal sealed class PeerLinkBrokenException(PeerLink link, Exception inner)
    : Exception($"link to {link.PeerName} ({link.Channel.Kind}) failed: {inner.Message}", inner)
{
    /// <summary>The link that failed.</summary>
    public PeerLink Link { get; } = link;

    /// <summary>True when the peer answered but disagreed (wrong frame, wrong collective), as opposed to vanishing.</summary>
    public bool IsProtocolError => InnerException is InvalidDataException;
}
