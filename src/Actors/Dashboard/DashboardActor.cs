using ActorTrain.Actors.Job;
using Akka.Actor;
using Akka.Cluster;

namespace ActorTrain.Actors.Dashboard;

/// <summary>
/// <c>/user/dashboard</c> on a node with the dashboard on. It waits for the job coordinator to start on this node
/// (<see cref="JobCoordinatorStarted"/> on the local event stream; only that node serves the page), then keeps the
/// <see cref="DashboardState"/>: membership from Akka cluster events, the rendezvous table and the nodes' reports that
/// the coordinator publishes locally. The state is rendered into the <see cref="DashboardFeed"/> at most every
/// <see cref="RenderInterval"/>, when something changed.
/// </summary>
public sealed class DashboardActor : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "dashboard";

    /// <summary>Longest time between a change and the page seeing it (besides the nodes' own report interval).</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);

    private readonly DashboardFeed _feed;
    private readonly Action _onCoordinatorHere;
    private readonly DashboardState _state;
    private bool _serving;
    private bool _dirty;
    private ICancelable? _timer;

    /// <summary>Creates the actor; <paramref name="onCoordinatorHere"/> starts the web server (called once).</summary>
    public DashboardActor(DashboardFeed feed, Action onCoordinatorHere)
    {
        _feed = feed;
        _onCoordinatorHere = onCoordinatorHere;
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        _state = new DashboardState(cluster.SelfAddress.ToString());
        // Subscribed before the coordinator singleton can start on this node.
        Context.System.EventStream.Subscribe(Self, typeof(JobCoordinatorStarted));
        Context.System.EventStream.Subscribe(Self, typeof(RendezvousTable));
        Context.System.EventStream.Subscribe(Self, typeof(RankProgress));
        Context.System.EventStream.Subscribe(Self, typeof(RunEvents));

        Receive<JobCoordinatorStarted>(_ => StartServing());
        Receive<RendezvousTable>(t => Change(() => _state.OnTable(t)));
        Receive<RankProgress>(p => Change(() => _state.OnProgress(p)));
        Receive<RunEvents>(e => Change(() => _state.OnEvents(e)));
        Receive<ClusterEvent.IMemberEvent>(e => Change(() => _state.OnMember(e.Member.Address.ToString(), e.Member.Status.ToString().ToLowerInvariant())));
        Receive<ClusterEvent.UnreachableMember>(e => Change(() => _state.OnReachability(e.Member.Address.ToString(), false)));
        Receive<ClusterEvent.ReachableMember>(e => Change(() => _state.OnReachability(e.Member.Address.ToString(), true)));
        Receive<Render>(_ =>
        {
            if (!_dirty) return;
            _dirty = false;
            _feed.Publish(_state.ToJson());
        });
    }

    /// <summary>Props for <see cref="DashboardActor"/>.</summary>
    public static Props Props(DashboardFeed feed, Action onCoordinatorHere) =>
        Akka.Actor.Props.Create(() => new DashboardActor(feed, onCoordinatorHere));

    /// <inheritdoc />
    protected override void PostStop()
    {
        _timer?.Cancel();
        Context.System.EventStream.Unsubscribe(Self);
        if (_serving) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void StartServing()
    {
        if (_serving) return;
        _serving = true;
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        _timer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(RenderInterval, RenderInterval, Self, Render.Instance, Self);
        _dirty = true;
        _onCoordinatorHere();
    }

    private void Change(Action update)
    {
        update();
        _dirty = true;
    }

    private sealed class Render : INoSerializationVerificationNeeded
    {
        public static readonly Render Instance = new();
    }
}
