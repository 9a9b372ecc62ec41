using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Tests.Remoting;

/// <summary>A started transport on 127.0.0.1:0 with a recording handler and captured logs.</summary>
public sealed class TransportFixture : IAsyncDisposable
{
    public TransportFixture(string system = "test", string? secret = null, int maximumFrameSize = FrameFormat.DefaultMaximumFrameSize,
        TimeSpan? dropAfter = null, int port = 0, TimeSpan? handshakeTimeout = null)
    {
        Options = new TransportOptions
        {
            SystemName = system,
            Hostname = "127.0.0.1",
            Port = port,
            Secret = secret,
            MaximumFrameSize = maximumFrameSize,
            DropUnreachableAfter = dropAfter ?? TimeSpan.FromSeconds(5),
            ReconnectBackoffMin = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(5),
        };
        Transport = new RemoteTransport(Options, Logs, (m, to, reason) => DeadLetters.Add((m, reason)));
        Address = Transport.Start(Handler);
    }

    public TransportOptions Options { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    public RecordingHandler Handler { get; } = new();

    public RemoteTransport Transport { get; }

    public UniqueAddress Address { get; }

    public System.Collections.Concurrent.ConcurrentBag<(OutboundMessage Message, string Reason)> DeadLetters { get; } = new();

    public ValueTask DisposeAsync() => Transport.DisposeAsync();
}
