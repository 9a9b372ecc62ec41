using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// The membership facade of one node (Akka's <c>Cluster(system)</c>): join, leave, down, subscribe to
/// <see cref="ClusterDomainEvent"/>s, read the current state, and await being Up.
/// </summary>
public sealed class Cluster
{
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile MembershipState _state;
    private bool _wasMember;

    internal Cluster(ActorRemoting remoting, ClusterSettings settings, IClock clock)
    {
        Settings = settings;
        SelfUniqueAddress = remoting.SelfAddress;
        _state = new MembershipState(SelfUniqueAddress, Gossip.Empty);
        Daemon = remoting.System.SystemActorOf(Props.Create(() => new ClusterDaemon(settings, remoting, this, clock)), "cluster");
    }

    /// <summary>The settings the node runs with.</summary>
    public ClusterSettings Settings { get; }

    /// <summary>The <c>/system/cluster</c> daemon.</summary>
    public IActorRef Daemon { get; }

    /// <summary>This node's address and uid.</summary>
    public UniqueAddress SelfUniqueAddress { get; }

    /// <summary>This node's address.</summary>
    public Address SelfAddress => SelfUniqueAddress.Address;

    /// <summary>This node's member record, or null before it joined (or after it was removed).</summary>
    public Member? SelfMember => _state.SelfMember;

    /// <summary>A snapshot of the membership as this node sees it.</summary>
    public CurrentClusterState State => CurrentClusterState.Of(_state);

    /// <summary>The current leader, if any.</summary>
    public UniqueAddress? Leader => _state.Leader;

    /// <summary>Completes when this node is Up and at least min-nr-of-members members are Up.</summary>
    public Task WhenUp => _up.Task;

    /// <summary>Completes when this node, having been a member, is Exiting or removed (after <see cref="Leave"/> or being downed).</summary>
    public Task WhenRemoved => _removed.Task;

    /// <summary>Joins the cluster of <paramref name="seedNodes"/> (Akka's JoinSeedNodes); empty or only self forms a new cluster.</summary>
    public void JoinSeedNodes(IEnumerable<Address> seedNodes) => Daemon.Tell(new JoinSeedNodes(seedNodes.ToList()));

    /// <summary>Joins the cluster that the node at <paramref name="address"/> belongs to (or forms one if it is this node).</summary>
    public void Join(Address address) => JoinSeedNodes([address]);

    /// <summary>Asks that the member at <paramref name="address"/> leave gracefully (Leaving → Exiting → Removed).</summary>
    public void Leave(Address address) => Daemon.Tell(new LeaveRequest(address.ToString()));

    /// <summary>Declares the member at <paramref name="address"/> down; the leader removes it.</summary>
    public void Down(Address address) => Daemon.Tell(new DownRequest(address.ToString()));

    /// <summary>
    /// Sends <paramref name="subscriber"/> every future event assignable to one of <paramref name="eventTypes"/> (default: all),
    /// preceded by the current state: a <see cref="CurrentClusterState"/> when <paramref name="initialStateAsSnapshot"/>, else
    /// the events that lead from an empty cluster to the current one.
    /// </summary>
    public void Subscribe(IActorRef subscriber, bool initialStateAsSnapshot, params Type[] eventTypes) =>
        Daemon.Tell(new Subscribe(subscriber, eventTypes.Length == 0 ? [typeof(ClusterDomainEvent)] : eventTypes, initialStateAsSnapshot));

    /// <summary>Stops sending events to <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber) => Daemon.Tell(new Unsubscribe(subscriber));

    internal void OnStateChanged(MembershipState state, int minNrOfMembers)
    {
        _state = state;
        Member? self = state.SelfMember;
        if (self is not null) _wasMember = true;
        if (self is { Status: MemberStatus.Up } && state.UpCount >= minNrOfMembers) _up.TrySetResult();
        if (_wasMember && (self is null || self.Status is MemberStatus.Exiting or MemberStatus.Removed or MemberStatus.Down))
            _removed.TrySetResult();
    }
}
