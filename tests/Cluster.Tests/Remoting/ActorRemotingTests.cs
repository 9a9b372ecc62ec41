using System.Collections.Concurrent;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using ActorTrain.Cluster.Remoting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorTrain.Cluster.Tests.Remoting;

public class ActorRemotingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor()
        {
            Receive<string>(s => s == "fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("asked to fail"))));
            Receive<string>(s => Sender.Tell("echo:" + s));
        }
    }

    private static class CollectorActor
    {
        public static Props PropsFor(ConcurrentQueue<(string, IActorRef)> sink) => Props.Create(() => new Collecting(sink));

        private sealed class Collecting : ReceiveActor
        {
            public Collecting(ConcurrentQueue<(string, IActorRef)> sink) => Receive<string>(s => sink.Enqueue((s, Sender)));
        }
    }

    [Fact]
    public async Task Ask_across_nodes_gets_the_reply_through_a_temporary_path()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        IActorRef echo = a.RefTo(b, "/user/echo");
        Assert.IsType<RemoteActorRef>(echo);
        Assert.Equal("echo:hi", await echo.Ask<string>("hi", Wait));
    }

    [Fact]
    public async Task Failure_reply_is_rethrown_with_the_remote_exception_type()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var e = await Assert.ThrowsAsync<RemoteFailureException>(() => a.RefTo(b, "/user/echo").Ask<string>("fail", Wait));
        Assert.Equal(typeof(InvalidOperationException).FullName, e.RemoteExceptionType);
        Assert.Contains("asked to fail", e.Message);
    }

    [Fact]
    public async Task Tells_from_one_sender_arrive_in_order_and_the_sender_ref_points_back()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        var received = new ConcurrentQueue<(string, IActorRef)>();
        b.System.ActorOf(CollectorActor.PropsFor(received), "sink");
        var replies = new ConcurrentQueue<(string, IActorRef)>();
        IActorRef replyTo = a.System.ActorOf(CollectorActor.PropsFor(replies), "replies");
        IActorRef sink = a.RefTo(b, "/user/sink");
        const int count = 5000;
        for (int i = 0; i < count; i++) sink.Tell(i.ToString(System.Globalization.CultureInfo.InvariantCulture), replyTo);
        var deadline = DateTime.UtcNow + Wait;
        while (received.Count < count && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(r => r.Item1));
        IActorRef senderSeenByB = received.First().Item2;
        Assert.Equal(a.Address.Address + "/user/replies", senderSeenByB.Path.ToString());
        senderSeenByB.Tell("back");
        deadline = DateTime.UtcNow + Wait;
        while (replies.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal("back", Assert.Single(replies).Item1);
    }

    [Fact]
    public async Task Remote_watch_delivers_terminated_when_the_remote_actor_stops()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        IActorRef target = b.System.ActorOf(Props.Create(() => new EchoActor()), "doomed");
        var terminated = new TaskCompletionSource<Terminated>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.System.ActorOf(Props.Create(() => new WatcherActor(a.RefTo(b, "/user/doomed"), terminated)), "watcher");
        await Task.Delay(200); // let the Watch reach b before the stop
        b.System.Stop(target);
        Terminated t = await terminated.Task.WaitAsync(Wait);
        Assert.Equal(b.Address.Address + "/user/doomed", t.ActorRef.Path.ToString());
    }

    private sealed class WatcherActor : ReceiveActor
    {
        public WatcherActor(IActorRef subject, TaskCompletionSource<Terminated> done)
        {
            Receive<Terminated>(t => done.TrySetResult(t));
            Context.Watch(subject);
        }
    }

    [Fact]
    public async Task Unknown_type_id_closes_the_connection_with_a_logged_reason_and_the_node_keeps_serving()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        using (var raw = await RawPeer.HandshakeAsync(b))
        {
            var head = new PooledBufferWriter();
            var writer = new MessagePackWriter(head);
            EnvelopeSerializer.WriteHeader(ref writer, null, b.Address.Address + "/user/echo", 31337);
            writer.WriteNil();
            await raw.SendAsync(RemoteTransportTests.Frame(FrameKind.Message, head.WrittenMemory.ToArray()));
            Assert.Empty(await RemoteTransportTests.ReceiveToEndAsync(raw));
        }
        Assert.True(await b.Logs.WaitForAsync(LogLevel.Warning, Wait, "unknown message type id 31337"), b.Logs.Dump());
        Assert.Equal("echo:still", await a.RefTo(b, "/user/echo").Ask<string>("still", Wait));
    }

    [Fact]
    public async Task Unregistered_message_type_goes_to_dead_letters_with_an_error_naming_it()
    {
        await using var a = new RemoteNode();
        await using var b = new RemoteNode();
        a.RefTo(b, "/user/nobody").Tell(new Uri("http://example.invalid"));
        Assert.True(await a.Logs.WaitForAsync(LogLevel.Error, Wait, "System.Uri", "not registered"), a.Logs.Dump());
        Assert.Equal(1, a.System.DeadLetterCount);
    }
}
