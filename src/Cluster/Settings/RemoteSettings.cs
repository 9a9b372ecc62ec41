using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary><c>actortrain.remote</c>: Akka.Remote's TCP transport between nodes (fed into <c>akka.remote</c>).</summary>
public sealed record RemoteSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.remote";

    /// <summary>Largest frame sent or accepted, in bytes (32 KiB .. 2 GiB - 1).</summary>
    public long MaximumFrameSize { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; }

    /// <summary>Handshake timeout.</summary>
    public TimeSpan HandshakeTimeout { get; init; }

    /// <summary>SO_SNDBUF in bytes.</summary>
    public int SendBufferSize { get; init; }

    /// <summary>SO_RCVBUF in bytes.</summary>
    public int ReceiveBufferSize { get; init; }

    /// <summary>Default Ask timeout for remote actors.</summary>
    public TimeSpan AskTimeout { get; init; }

    /// <summary>Reads and validates the section; errors go to <paramref name="reader"/>.</summary>
    public static RemoteSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        var settings = new RemoteSettings
        {
            MaximumFrameSize = reader.ByteSize(p + "maximum-frame-size", 32 * 1024, int.MaxValue),
            ConnectTimeout = reader.PositiveDuration(p + "connect-timeout"),
            HandshakeTimeout = reader.PositiveDuration(p + "handshake-timeout"),
            SendBufferSize = (int)reader.ByteSize(p + "send-buffer-size", 4 * 1024, 1L << 30),
            ReceiveBufferSize = (int)reader.ByteSize(p + "receive-buffer-size", 4 * 1024, 1L << 30),
            AskTimeout = reader.PositiveDuration(p + "ask-timeout"),
        };
        return settings;
    }

    /// <summary>Binds from <paramref name="config"/> with reference.conf as fallback; throws
    /// <see cref="SettingsValidationException"/> listing every problem.</summary>
    public static RemoteSettings FromConfig(Config config)
    {
        var reader = new SettingsReader(config.WithFallback(ReferenceConfig.Load()).Resolve());
        var settings = Bind(reader);
        reader.ThrowIfErrors();
        return settings;
    }

    /// <summary>The defaults of reference.conf.</summary>
    public static RemoteSettings Default => FromConfig(Config.Empty);
}
