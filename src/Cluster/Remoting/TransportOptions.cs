namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// Construction parameters of a <see cref="RemoteTransport"/>. <c>ClusterNode</c> fills them from the
/// <c>actortrain.remote.*</c> and <c>actortrain.cluster.secret</c> settings; tests set them directly.
/// </summary>
public sealed record TransportOptions
{
    /// <summary>Actor system name; peers with another name are refused.</summary>
    public required string SystemName { get; init; }

    /// <summary>Interface to bind, e.g. <c>127.0.0.1</c> or <c>0.0.0.0</c>.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Host other nodes dial to reach this one; defaults to <see cref="Hostname"/>. Required when binding a wildcard.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Port to bind; 0 picks a free port.</summary>
    public int Port { get; init; }

    /// <summary>Largest frame body accepted or sent, in bytes (default 128 MiB, room for a 64 MiB bucket).</summary>
    public int MaximumFrameSize { get; init; } = FrameFormat.DefaultMaximumFrameSize;

    /// <summary>Shared secret for the HMAC challenge-response; null or empty disables it.</summary>
    public string? Secret { get; init; }

    /// <summary>Time a handshake may take, either side, before the connection is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time a TCP connect may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectBackoffMax"/>.</summary>
    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Once an address has been unreachable this long, queued messages to it go to dead letters (and so does
    /// every message queued later, each time another connect attempt fails).
    /// </summary>
    public TimeSpan DropUnreachableAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages queued per outbound association; beyond this, new messages go to dead letters.</summary>
    public int OutboundQueueCapacity { get; init; } = 100_000;

    /// <summary>Inbound connections allowed to be in their handshake at once; more are closed at once (flood guard).</summary>
    public int MaximumPendingHandshakes { get; init; } = 512;

    /// <summary>The host other nodes dial.</summary>
    public string AdvertisedHostname => PublicHostname ?? Hostname;

    /// <summary>Checks the values; throws naming the offending option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SystemName)) throw new ArgumentException("remoting needs a non-empty actor system name (actortrain.system-name)");
        if (Port is < 0 or > 65535) throw new ArgumentException($"actortrain.remote.port = {Port} is outside 0..65535");
        if (MaximumFrameSize < 1024) throw new ArgumentException($"actortrain.remote.maximum-frame-size = {MaximumFrameSize} is below 1 KiB");
        if (ReconnectBackoffMin <= TimeSpan.Zero || ReconnectBackoffMax < ReconnectBackoffMin)
            throw new ArgumentException($"reconnect backoff min {ReconnectBackoffMin} / max {ReconnectBackoffMax}: need 0 < min <= max");
        if (OutboundQueueCapacity < 1) throw new ArgumentException($"outbound queue capacity {OutboundQueueCapacity} must be positive");
        if (PublicHostname is null && Hostname is "0.0.0.0" or "::")
            throw new ArgumentException($"binding the wildcard {Hostname} needs actortrain.remote.public-hostname: the address other nodes dial");
    }
}
