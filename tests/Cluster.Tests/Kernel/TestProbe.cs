using Xunit;
using System.Collections.Concurrent;
using ActorTrain.Cluster.Kernel;
using Xunit.Sdk;

namespace ActorTrain.Cluster.Tests.Kernel;

/// <summary>A real actor that queues what it receives so a test can assert on it (a minimal Akka TestProbe).</summary>
internal sealed class TestProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly BlockingCollection<(object Message, IActorRef? Sender)> _received = new();

    public TestProbe(ActorSystem system, string? name = null)
    {
        Ref = system.ActorOf(Props.Create(() => new ProbeActor(_received)), name);
    }

    public IActorRef Ref { get; }

    public IActorRef? LastSender { get; private set; }

    public T ExpectMsg<T>(TimeSpan? timeout = null)
    {
        if (!_received.TryTake(out var item, timeout ?? DefaultTimeout))
            throw new XunitException($"Expected a {typeof(T).Name} within {(timeout ?? DefaultTimeout).TotalSeconds} s, got nothing.");
        LastSender = item.Sender;
        if (item.Message is not T typed)
            throw new XunitException($"Expected a {typeof(T).Name}, got {item.Message.GetType().Name}: {item.Message}.");
        return typed;
    }

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
    {
        var actual = ExpectMsg<T>(timeout);
        Assert.Equal(expected, actual);
        return actual;
    }

    public void DrainAll()
    {
        while (_received.TryTake(out _)) { }
    }

    public void ExpectNoMsg(TimeSpan duration)
    {
        if (_received.TryTake(out var item, duration))
            throw new XunitException($"Expected no message, got {item.Message.GetType().Name}: {item.Message}.");
    }

    private sealed class ProbeActor(BlockingCollection<(object, IActorRef?)> received) : UntypedActor
    {
        protected override void OnReceive(object message) => received.Add((message, Sender));
    }
}
