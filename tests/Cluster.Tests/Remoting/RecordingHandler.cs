using System.Collections.Concurrent;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Tests.Remoting;

/// <summary>Inbound handler that keeps a copy of each message body; bodies starting with 0xFF are treated as malformed.</summary>
public sealed class RecordingHandler : IInboundMessageHandler
{
    private readonly ConcurrentQueue<(UniqueAddress From, byte[] Body)> _received = new();
    private readonly SemaphoreSlim _signal = new(0);

    public IReadOnlyList<(UniqueAddress From, byte[] Body)> Received => _received.ToArray();

    public int Count => _received.Count;

    public void OnMessage(UniqueAddress from, InboundFrame frame)
    {
        if (frame.Length > 0 && frame.Body.Span[0] == 0xFF)
            throw new RemotingProtocolException($"message from {from} starts with the malformed marker 0xFF");
        _received.Enqueue((from, frame.Body.ToArray()));
        _signal.Release();
    }

    public async Task WaitForCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
                throw new TimeoutException($"received {_received.Count} of {count} messages within {timeout}");
        }
    }
}
