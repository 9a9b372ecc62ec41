using Xunit;
using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Tests.Kernel;

public sealed class LocationTransparencyTests : IDisposable
{
    private static readonly TimeSpan Timeout = TestProbe.DefaultTimeout;
    private readonly ActorSystem _a = ActorSystem.Create("node-a");
    private readonly ActorSystem _b = ActorSystem.Create("node-b");

    public LocationTransparencyTests() => InProcessTransport.Connect(_a, _b);

    public void Dispose()
    {
        Task.WaitAll([_a.Terminate(), _b.Terminate()], Timeout);
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell("echo:" + message);
    }

    private sealed class WatchAndReport : ReceiveActor
    {
        public WatchAndReport(IActorRef probe)
        {
            Receive<IActorRef>(subject =>
            {
                Context.Watch(subject);
                probe.Tell("watching");
            });
            Receive<Terminated>(t => probe.Tell(t));
        }
    }

    [Fact]
    public void Address_becomes_the_bound_address_once_a_transport_is_attached()
    {
        Assert.Equal("actortrain://node-a@127.0.0.1:1", _a.Address.ToString());
        Assert.Equal("actortrain://node-a", _a.Provider.LocalAddress.ToString());
        Assert.True(_a.Provider.IsLocalAddress(_a.Address));
        Assert.False(_a.Provider.IsLocalAddress(_b.Address));
    }

    [Fact]
    public void Remote_reference_is_used_like_a_local_one_for_Tell_with_reply_to_sender()
    {
        _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var probe = new TestProbe(_a);
        var remoteEcho = _a.ResolveActorRef("actortrain://node-b@127.0.0.1:2/user/echo");
        Assert.Equal(_b.Address, remoteEcho.Path.Address);
        remoteEcho.Tell("hi", probe.Ref);
        Assert.Equal("echo:hi", probe.ExpectMsg<string>());
        Assert.Equal(remoteEcho, probe.LastSender); // the reply's sender is the remote echo, seen from node-a
    }

    [Fact]
    public async Task Ask_to_a_remote_actor_gets_the_reply_through_the_temp_path()
    {
        _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var remoteEcho = _a.ResolveActorRef("actortrain://node-b@127.0.0.1:2/user/echo");
        Assert.Equal("echo:ping", await remoteEcho.Ask<string>("ping", Timeout));
    }

    [Fact]
    public async Task ActorSelection_resolves_remote_paths_by_Identify()
    {
        _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var found = await _a.ActorSelection("actortrain://node-b@127.0.0.1:2/user/echo").ResolveOne(Timeout);
        Assert.Equal("actortrain://node-b@127.0.0.1:2/user/echo", found.Path.ToString());
        await Assert.ThrowsAsync<ActorNotFoundException>(
            () => _a.ActorSelection("actortrain://node-b@127.0.0.1:2/user/missing").ResolveOne(Timeout));
    }

    [Fact]
    public void Watching_a_remote_actor_delivers_Terminated_when_it_stops()
    {
        var echo = _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var probe = new TestProbe(_a);
        var watcher = _a.ActorOf(Props.Create(() => new WatchAndReport(probe.Ref)));
        var remoteEcho = _a.ResolveActorRef("actortrain://node-b@127.0.0.1:2/user/echo");
        watcher.Tell(remoteEcho);
        probe.ExpectMsg("watching");
        Thread.Sleep(50); // let the Watch reach node-b before the stop
        _b.Stop(echo);
        var terminated = probe.ExpectMsg<Terminated>();
        Assert.Equal(remoteEcho, terminated.ActorRef);
        Assert.False(terminated.AddressTerminated);
    }

    [Fact]
    public void Node_declared_gone_fires_Terminated_for_watched_actors_on_it()
    {
        _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var probe = new TestProbe(_a);
        var watcher = _a.ActorOf(Props.Create(() => new WatchAndReport(probe.Ref)));
        var remoteEcho = _a.ResolveActorRef("actortrain://node-b@127.0.0.1:2/user/echo");
        watcher.Tell(remoteEcho);
        probe.ExpectMsg("watching");
        _a.Provider.NotifyAddressTerminated(_b.Address);
        var terminated = probe.ExpectMsg<Terminated>();
        Assert.Equal(remoteEcho, terminated.ActorRef);
        Assert.True(terminated.AddressTerminated);
    }

    [Fact]
    public async Task Remote_path_on_a_local_only_system_is_refused_with_a_hint()
    {
        var lonely = ActorSystem.Create("lonely");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => lonely.ResolveActorRef("actortrain://other@10.0.0.1:2552/user/x"));
            Assert.Contains("actortrain://other@10.0.0.1:2552/user/x", error.Message);
            Assert.Contains("remoting", error.Message);
        }
        finally
        {
            await lonely.Terminate().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Local_selection_resolves_live_actors_and_rejects_missing_ones()
    {
        var echo = _a.ActorOf(Props.Create(() => new Echo()), "local-echo");
        Assert.Equal(echo, await _a.ActorSelection("/user/local-echo").ResolveOne(Timeout));
        Assert.Equal(echo, await _a.ActorSelection("actortrain://node-a@127.0.0.1:1/user/local-echo").ResolveOne(Timeout));
        var error = await Assert.ThrowsAsync<ActorNotFoundException>(() => _a.ActorSelection("/user/nope").ResolveOne(Timeout));
        Assert.Contains("/user/nope", error.Message);
    }
}
