using System.Diagnostics;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorTrain.Cluster.Remoting.Bench;

/// <summary>
/// Remote request-reply throughput between two actor systems over loopback TCP (Akka.NET's RemotePingPong shape):
/// each pinger keeps <c>window</c> small string messages in flight to its ponger on the other system, which echoes them.
/// Run both systems in one process (<see cref="RunInProcessAsync"/>) or in two (<see cref="ServeAsync"/> in one,
/// <see cref="RunClientAsync"/> in the other). A benchmark, not a test: it prints, it asserts nothing.
/// </summary>
public static class RemotePingPongBench
{
    /// <summary>Actor system name both sides use.</summary>
    public const string SystemName = "pingpong";

    /// <summary>Runs server and client in this process.</summary>
    public static async Task<RemotePingPongResult> RunInProcessAsync(long roundTripsPerPair = 50_000, int pairs = 4, int window = 16,
        ILoggerFactory? loggerFactory = null)
    {
        await using Server server = await ServeAsync(0, pairs, loggerFactory);
        return await RunClientAsync(server.Address, roundTripsPerPair, pairs, window, loggerFactory);
    }

    /// <summary>Starts the ponger side on 127.0.0.1:<paramref name="port"/> (0 = free port) with actors <c>/user/pong-0..</c>.</summary>
    public static Task<Server> ServeAsync(int port, int pairs = 4, ILoggerFactory? loggerFactory = null)
    {
        var (system, remoting) = Start(port, loggerFactory);
        for (int i = 0; i < pairs; i++) system.ActorOf(Props.Create(() => new Ponger()), "pong-" + i);
        return Task.FromResult(new Server(system, remoting));
    }

    /// <summary>Runs pingers against a server at <paramref name="server"/> and measures.</summary>
    public static async Task<RemotePingPongResult> RunClientAsync(Address server, long roundTripsPerPair = 50_000, int pairs = 4, int window = 16,
        ILoggerFactory? loggerFactory = null)
    {
        var (system, remoting) = Start(0, loggerFactory);
        try
        {
            // Warm-up: establish the association and JIT the path.
            IActorRef first = system.ResolveActorRef(server + "/user/pong-0");
            for (int i = 0; i < 100; i++) await first.Ask<string>("warm", TimeSpan.FromSeconds(10));

            var done = new List<Task>();
            var pingers = new List<IActorRef>();
            for (int i = 0; i < pairs; i++)
            {
                var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                done.Add(finished.Task);
                IActorRef target = system.ResolveActorRef(server + "/user/pong-" + i);
                pingers.Add(system.ActorOf(Props.Create(() => new Pinger(target, roundTripsPerPair, window, finished))));
            }
            var watch = Stopwatch.StartNew();
            foreach (IActorRef pinger in pingers) pinger.Tell(Pinger.Start);
            await Task.WhenAll(done).WaitAsync(TimeSpan.FromMinutes(10));
            watch.Stop();
            return new RemotePingPongResult(roundTripsPerPair * pairs, pairs, window, watch.Elapsed);
        }
        finally
        {
            await remoting.DisposeAsync();
            await system.Terminate();
        }
    }

    private static (ActorSystem, ActorRemoting) Start(int port, ILoggerFactory? loggerFactory)
    {
        var system = ActorSystem.Create(SystemName, new ActorSystemOptions { LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance });
        var remoting = new ActorRemoting(system, new TransportOptions { SystemName = SystemName, Hostname = "127.0.0.1", Port = port },
            new MessageTypeRegistry());
        remoting.Start();
        return (system, remoting);
    }

    /// <summary>The ponger side; dispose to stop it.</summary>
    public sealed class Server(ActorSystem system, ActorRemoting remoting) : IAsyncDisposable
    {
        /// <summary>The address pingers connect to.</summary>
        public Address Address => remoting.SelfAddress.Address;

        /// <summary>Stops the server.</summary>
        public async ValueTask DisposeAsync()
        {
            await remoting.DisposeAsync();
            await system.Terminate();
        }
    }

    private sealed class Ponger : ReceiveActor
    {
        public Ponger() => Receive<string>(message => Sender.Tell(message));
    }

    private sealed class Pinger : ReceiveActor
    {
        public const string Start = "start";

        public Pinger(IActorRef target, long total, int window, TaskCompletionSource finished)
        {
            long sent = 0, received = 0;
            Receive<string>(m => m == Start && sent == 0, _ =>
            {
                for (; sent < Math.Min(window, total); sent++) target.Tell("ping");
            });
            Receive<string>(_ =>
            {
                received++;
                if (sent < total)
                {
                    sent++;
                    target.Tell("ping");
                }
                else if (received == total)
                {
                    finished.TrySetResult();
                }
            });
        }
    }
}
