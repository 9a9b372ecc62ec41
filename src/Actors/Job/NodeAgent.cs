using System.Threading.Channels;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Membership;
using ClusterFacade = ActorTrain.Cluster.Membership.Cluster;
using KernelProps = ActorTrain.Cluster.Kernel.Props;

namespace ActorTrain.Actors.Job;

/// <summary>
/// <c>/user/node</c>: this node's mailbox for the job. It registers the node with the coordinator (repeating until an
/// answer arrives, since the coordinator's node may still be starting), and forwards what the job host must react to —
/// the <see cref="NodeAssignment"/>, the <see cref="RendezvousTable"/>, a <see cref="JobAborted"/>, and membership
/// changes that can end a job (unreachable, downed or removed members) — to <see cref="JobNode"/> through a channel.
/// </summary>
public sealed class NodeAgent : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "node";

    private static readonly TimeSpan RegistrationRetry = TimeSpan.FromSeconds(2);

    private readonly IActorRef _coordinator;
    private readonly RegisterNode _registration;
    private readonly ChannelWriter<object> _events;
    private readonly ClusterFacade _cluster;
    private ICancelable? _retry;

    /// <summary>Creates the agent; <paramref name="events"/> receives every message the job host must see.</summary>
    public NodeAgent(IActorRef coordinator, RegisterNode registration, ClusterFacade cluster, ChannelWriter<object> events)
    {
        _coordinator = coordinator;
        _registration = registration;
        _cluster = cluster;
        _events = events;
        Receive<RetryRegistration>(_ => _coordinator.Tell(_registration, Self));
        Receive<NodeAssignment>(a => { _retry?.Cancel(); _events.TryWrite(a); });
        Receive<RendezvousTable>(t => { _retry?.Cancel(); _events.TryWrite(t); });
        Receive<JobAborted>(a => { _retry?.Cancel(); _events.TryWrite(a); });
        Receive<ReachabilityEvent>(e => _events.TryWrite(e));
        Receive<MemberEvent>(e => _events.TryWrite(e));
        Receive<CurrentClusterState>(_ => { });
    }

    /// <summary>Props for <see cref="NodeAgent"/>.</summary>
    public static KernelProps Props(IActorRef coordinator, RegisterNode registration, ClusterFacade cluster, ChannelWriter<object> events) =>
        KernelProps.Create(() => new NodeAgent(coordinator, registration, cluster, events));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _cluster.Subscribe(Self, true, typeof(ReachabilityEvent), typeof(MemberEvent));
        _coordinator.Tell(_registration, Self);
        _retry = Context.Scheduler.ScheduleTellRepeatedly(RegistrationRetry, RegistrationRetry, Self, RetryRegistration.Instance, Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _retry?.Cancel();
        _cluster.Unsubscribe(Self);
    }

    private sealed class RetryRegistration
    {
        public static readonly RetryRegistration Instance = new();
    }
}
