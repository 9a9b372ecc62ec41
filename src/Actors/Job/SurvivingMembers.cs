using ActorTrain.Cluster.Node;
using ActorTrain.Cluster.Settings;
using ClusterSettings = ActorTrain.Cluster.Settings.ClusterSettings;
using Akka.Cluster;
using Akka.Configuration;
using AkkaAddress = Akka.Actor.Address;

namespace ActorTrain.Actors.Job;

/// <summary>
/// Which job nodes survived a loss, and the seed nodes the survivors rejoin through.
/// <para>Why a fresh actor system: the split-brain resolver (down-all) downs every member once one is unreachable,
/// survivors included, and a downed Akka node cannot rejoin; so each surviving node stops its actor system and starts a
/// new one on the same address. Why new seed nodes: the configured first seed may be the lost node, and Akka lets only
/// the first seed node form a cluster; so each survivor puts the surviving job nodes first (in Akka's address order,
/// the same on every survivor), then the configured seeds — the lowest surviving address forms the new cluster, the
/// others (and a relaunched node, which probes the others before forming one alone) join it. Both sides of a network
/// partition re-form like this; only a side with min-nodes nodes (a majority) completes the rendezvous.</para>
/// </summary>
internal static class SurvivingMembers
{
    /// <summary>
    /// Waits until membership confirms the loss — some other job node unreachable or removed — or until the failure
    /// detector must have noticed it (twice heartbeat-interval + acceptable-heartbeat-pause, + 2s: a busy machine delays
    /// heartbeats; a collective fails at once when a peer dies, before the detector does), then splits the job's nodes into survivors (self included) and lost.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Survivors, IReadOnlyList<string> Lost)> SettleAsync(
        ClusterNode node, IReadOnlyList<string> jobNodes, FailureDetectorSettings detector, CancellationToken ct)
    {
        string self = node.Address.ToString();
        var deadline = DateTime.UtcNow + 2 * (detector.HeartbeatInterval + detector.AcceptableHeartbeatPause) + TimeSpan.FromSeconds(2);
        List<string> lost;
        while (true)
        {
            var state = node.Cluster.State;
            var unreachable = state.Unreachable.Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
            // Status does not tell: a survivor that already stopped its old actor system for the restart is Down or
            // Leaving too. Lost is what stopped answering (or was removed after that).
            var members = state.Members.Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
            lost = jobNodes.Where(a => a != self && (unreachable.Contains(a) || !members.Contains(a))).ToList();
            if (lost.Count > 0 || DateTime.UtcNow >= deadline || node.System.WhenTerminated.IsCompleted) break;
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        var survivors = jobNodes.Where(a => !lost.Contains(a)).Append(self).Distinct(StringComparer.Ordinal)
            .OrderBy(AkkaAddress.Parse, Member.AddressOrdering).ToList();
        return (survivors, lost);
    }

    /// <summary>The seed nodes of a restart: the survivors (address order), then the configured seeds not among them.</summary>
    public static IReadOnlyList<string> RestartSeeds(IReadOnlyList<string> survivors, IReadOnlyList<string> configured) =>
        survivors.Concat(configured).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The cluster settings and Akka config of a node that joins through <paramref name="seedNodes"/> instead of the configured ones.</summary>
    public static (ClusterSettings Cluster, Config Akka) WithSeedNodes(ClusterSettings cluster, Config akka, IReadOnlyList<string> seedNodes)
    {
        string quoted = string.Join(", ", seedNodes.Select(s => $"\"{s}\""));
        // Seeds that are still restarting refuse connections for a moment; that is no reason to give up the join here
        // (max-refused-joins exists for TLS and system-name mismatches, which the first attempt already ruled out).
        return (cluster with { SeedNodes = seedNodes, MaxRefusedJoins = int.MaxValue }, ConfigurationFactory.ParseString($"akka.cluster.seed-nodes = [{quoted}]").WithFallback(akka));
    }
}
