using System.Diagnostics;
using ActorTrain.Cluster.Node;
using Akka.Actor;
using AkkaConfiguration = Akka.Configuration.Config;

namespace ActorTrain.Cluster.Bench;

/// <summary>
/// Akka.NET's RemotePingPong shape through Akka.Remote on loopback: <c>pairs</c> pingers each keep <c>inflight</c>
/// <see cref="Ping"/>s in flight to a ponger in another actor system, which sends each one back. Requests and replies
/// both count as messages, as in Akka's benchmark.
/// </summary>
public static class RemotePingPongBench
{
    /// <summary>Akka config of a benchmark system: remote provider (no cluster), a free port on 127.0.0.1.</summary>
    public static AkkaConfiguration Config(int port = 0) => AkkaConfig.Reference(
        $"actortrain.cluster.port = {port}\nakka.actor.provider = remote\nakka.loglevel = WARNING");

    /// <summary>Starts the ponger system; dispose it to stop.</summary>
    public static ActorSystem Serve(int port, int pairs)
    {
        var system = ActorSystem.Create("pingpong", Config(port));
        for (int i = 0; i < pairs; i++) system.ActorOf(Props.Create(() => new Ponger()), $"ponger-{i}");
        return system;
    }

    /// <summary>The address of a system's remoting, e.g. akka.tcp://pingpong@127.0.0.1:40123.</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>Both systems in this process.</summary>
    public static async Task<RemotePingPongResult> RunInProcessAsync(long roundTrips, int pairs, int inflight)
    {
        using var server = Serve(0, pairs);
        var result = await RunClientAsync(AddressOf(server), roundTrips, pairs, inflight).ConfigureAwait(false);
        await server.Terminate().ConfigureAwait(false);
        return result;
    }

    /// <summary>Pings the pongers of the system at <paramref name="server"/>.</summary>
    public static async Task<RemotePingPongResult> RunClientAsync(Address server, long roundTrips, int pairs, int inflight)
    {
        using var client = ActorSystem.Create("pingpong", Config());
        try
        {
            var pongers = new IActorRef[pairs];
            for (int i = 0; i < pairs; i++)
                pongers[i] = await client.ActorSelection($"{server}/user/ponger-{i}").ResolveOne(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            // Warm-up: connections, JIT, serializer caches.
            await RunAsync(client, pongers, Math.Min(roundTrips, 2_000), inflight).ConfigureAwait(false);
            var elapsed = await RunAsync(client, pongers, roundTrips, inflight).ConfigureAwait(false);
            return new RemotePingPongResult(roundTrips * pairs, elapsed);
        }
        finally
        {
            await client.Terminate().ConfigureAwait(false);
        }
    }

    private static async Task<TimeSpan> RunAsync(ActorSystem client, IActorRef[] pongers, long roundTrips, int inflight)
    {
        var done = pongers.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var watch = Stopwatch.StartNew();
        var pingers = pongers.Select((p, i) => client.ActorOf(Props.Create(() => new Pinger(p, roundTrips, inflight, done[i])))).ToList();
        await Task.WhenAll(done.Select(d => d.Task)).ConfigureAwait(false);
        watch.Stop();
        foreach (var pinger in pingers) client.Stop(pinger);
        return watch.Elapsed;
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<Ping>(p => Sender.Tell(p));
    }

    private sealed class Pinger : ReceiveActor
    {
        public Pinger(IActorRef ponger, long roundTrips, int inflight, TaskCompletionSource done)
        {
            long sent = 0, received = 0;
            Receive<Start>(_ =>
            {
                for (; sent < Math.Min(inflight, roundTrips); sent++) ponger.Tell(new Ping(sent));
            });
            Receive<Ping>(_ =>
            {
                if (++received == roundTrips) { done.TrySetResult(); return; }
                if (sent < roundTrips) ponger.Tell(new Ping(sent++));
            });
            Self.Tell(Start.Instance);
        }

        private sealed class Start : INoSerializationVerificationNeeded
        {
            public static readonly Start Instance = new();
        }
    }
}
