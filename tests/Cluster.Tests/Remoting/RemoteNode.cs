using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.MessagePack;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Tests.Remoting;

/// <summary>An ActorSystem with remoting on 127.0.0.1:0, for in-process multi-node tests.</summary>
public sealed class RemoteNode : IAsyncDisposable
{
    public RemoteNode(string system = "remote-test", Action<MessageTypeRegistry>? register = null)
    {
        System = ActorSystem.Create(system, new ActorSystemOptions { LoggerFactory = Logs });
        var registry = new MessageTypeRegistry();
        register?.Invoke(registry);
        Remoting = new ActorRemoting(System, new TransportOptions { SystemName = system, Hostname = "127.0.0.1" }, registry);
        Address = Remoting.Start();
    }

    public CapturingLoggerFactory Logs { get; } = new();

    public ActorSystem System { get; }

    public ActorRemoting Remoting { get; }

    public UniqueAddress Address { get; }

    /// <summary>A reference, as seen from this node, to <paramref name="path"/> (e.g. /user/echo) on <paramref name="other"/>.</summary>
    public IActorRef RefTo(RemoteNode other, string path) => System.ResolveActorRef(other.Address.Address + path);

    public async ValueTask DisposeAsync()
    {
        await Remoting.DisposeAsync();
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
