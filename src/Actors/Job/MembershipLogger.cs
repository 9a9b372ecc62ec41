using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorTrain.Actors.Job;

/// <summary>
/// <c>/user/membership</c>: logs what the job's user cares about in membership — members Up, unreachable, reachable
/// again, downed, removed — each with its akka.tcp address (category <c>ActorTrain.Actors.Job.MembershipLogger</c>).
/// </summary>
public sealed class MembershipLogger : ReceiveActor
{
    /// <summary>The actor's name under /user.</summary>
    public const string Name = "membership";

    /// <summary>Creates the logger.</summary>
    public MembershipLogger()
    {
        var log = Context.GetLogger();
        Receive<ClusterEvent.MemberUp>(e => log.Info("Cluster: member {0} is Up", e.Member.Address));
        Receive<ClusterEvent.UnreachableMember>(e => log.Warning("Cluster: member {0} is UNREACHABLE (no heartbeats)", e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => log.Info("Cluster: member {0} is reachable again", e.Member.Address));
        Receive<ClusterEvent.MemberDowned>(e => log.Warning("Cluster: member {0} was downed", e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => log.Info("Cluster: member {0} was removed (was {1})", e.Member.Address, e.PreviousStatus));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    /// <summary>Props for <see cref="MembershipLogger"/>.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new MembershipLogger());

    /// <inheritdoc />
    protected override void PreStart() => Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self,
        ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    /// <inheritdoc />
    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
