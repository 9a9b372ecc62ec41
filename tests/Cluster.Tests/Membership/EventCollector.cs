using System.Collections.Concurrent;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Membership;

namespace ActorTrain.Cluster.Tests.Membership;

/// <summary>An actor that records every cluster event it receives, with the time it arrived.</summary>
internal sealed class EventCollector : ReceiveActor
{
    public EventCollector(ConcurrentQueue<(DateTime At, ClusterDomainEvent Event)> sink) =>
        Receive<ClusterDomainEvent>(e => sink.Enqueue((DateTime.UtcNow, e)));

    public static async Task<(DateTime At, T Event)> WaitForAsync<T>(ConcurrentQueue<(DateTime At, ClusterDomainEvent Event)> sink,
        Func<T, bool> match, TimeSpan timeout) where T : ClusterDomainEvent
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (at, e) in sink)
                if (e is T typed && match(typed)) return (at, typed);
            await Task.Delay(10);
        }
        throw new TimeoutException($"no {typeof(T).Name} matching within {timeout}; got: {string.Join(", ", sink.Select(s => s.Event))}");
    }
}
