using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;

namespace ActorTrain.Actors.Job;

/// <summary>
/// <c>/user/node</c>: this node's mailbox for the job. It registers the node with the coordinator (through the
/// singleton proxy, repeating until an answer arrives, since the singleton may still be starting or moving), and
/// forwards what the job host must react to — the <see cref="NodeAssignment"/>, the <see cref="RendezvousTable"/>, a
/// <see cref="JobAborted"/>, and membership changes that can end a job (unreachable, downed or removed members) — to
/// <see cref="JobNode"/> through a channel.
/// </summary>
public sealed class NodeAgent : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "node";

    private static readonly TimeSpan RegistrationRetry = TimeSpan.FromSeconds(2);

    private readonly IActorRef _coordinator;
    private readonly RegisterNode _registration;
    private readonly ChannelWriter<object> _events;
    private ICancelable? _retry;

    /// <summary>Creates the agent; <paramref name="events"/> receives every message the job host must see.</summary>
    public NodeAgent(IActorRef coordinator, RegisterNode registration, ChannelWriter<object> events)
    {
        _coordinator = coordinator;
        _registration = registration;
        _events = events;
        Receive<RetryRegistration>(_ => _coordinator.Tell(_registration, Self));
        Receive<NodeAssignment>(a => { _retry?.Cancel(); _events.TryWrite(a); });
        Receive<RendezvousTable>(t => { _retry?.Cancel(); _events.TryWrite(t); });
        Receive<JobAborted>(a => { _retry?.Cancel(); _events.TryWrite(a); });
        Receive<ClusterEvent.IReachabilityEvent>(e => _events.TryWrite(e));
        Receive<ClusterEvent.IMemberEvent>(e => _events.TryWrite(e));
    }

    /// <summary>Props for <see cref="NodeAgent"/>.</summary>
    public static Props Props(IActorRef coordinator, RegisterNode registration, ChannelWriter<object> events) =>
        Akka.Actor.Props.Create(() => new NodeAgent(coordinator, registration, events));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));
        _coordinator.Tell(_registration, Self);
        _retry = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(RegistrationRetry, RegistrationRetry, Self, RetryRegistration.Instance, Self);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _retry?.Cancel();
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private sealed class RetryRegistration : INoSerializationVerificationNeeded
    {
        public static readonly RetryRegistration Instance = new();
    }
}
