using ActorTrain.Cluster.Settings;
using Akka.Actor;
using Akka.Remote;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorTrain.Cluster.Node;

/// <summary>
/// Counts failed associations with seed nodes while this node is not yet a member; after
/// actortrain.cluster.max-refused-joins of them it completes the node's "join refused" task with the seed and the
/// cause, so that the node stops with an error instead of retrying until the join timeout.
/// </summary>
internal sealed class JoinRefusalWatcher : ReceiveActor
{
    public JoinRefusalWatcher(ClusterSettings settings, AkkaCluster cluster, TaskCompletionSource<string> refused)
    {
        var seeds = settings.SeedNodes.Select(a => SeedNodeAddress.WithScheme(a, settings.Tls.Enabled)).ToHashSet(StringComparer.Ordinal);
        int failures = 0;
        Receive<AssociationErrorEvent>(e =>
        {
            if (cluster.SelfMember.Status != Akka.Cluster.MemberStatus.Removed && cluster.State.Members.Any(m => m.Address.Equals(cluster.SelfAddress))) return;
            if (!seeds.Contains(e.RemoteAddress.ToString())) return;
            if (++failures < settings.MaxRefusedJoins) return;
            var cause = e.Cause;
            while (cause?.InnerException is not null) cause = cause.InnerException;
            refused.TrySetResult($"seed node {e.RemoteAddress} refused this node {failures} times: {cause?.Message ?? e.ToString()}" +
                (settings.Tls.Enabled
                    ? " — check that this node's certificate was issued by the cluster CA (actortrain.cluster.tls)"
                    : " — if the cluster runs with TLS, this node needs actortrain.cluster.tls with a certificate from the cluster CA"));
        });
    }
}
