using System.Globalization;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// The command lines of the <c>actortrain node</c> processes that <c>simulate</c> starts: node i listens on
/// 127.0.0.1:ports[i], node 0 is the seed, every node gets the job shape, its node rank and the strategy as
/// <c>--set</c> overrides after the user's own (so they win), and the parent's pid so it dies with the parent.
/// </summary>
public sealed record NodeLaunchPlan(
    int Nodes, int ProcsPerNode, IReadOnlyList<int> Ports, string SystemName, string? ConfigPath,
    IReadOnlyList<string> UserSets, string? Strategy, string? Transport, int ParentPid, bool Verbose = false)
{
    /// <summary>actortrain.metrics.port of node 0 (node i serves port + i); 0 = metrics off.</summary>
    public int MetricsPort { get; init; }

    /// <summary>The port of node <paramref name="nodeRank"/>'s /metrics, or 0 when metrics are off.</summary>
    public int MetricsPortOf(int nodeRank) => MetricsPort > 0 ? MetricsPort + nodeRank : 0;

    /// <summary>The host every simulated node binds to.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>The seed node's address (node 0).</summary>
    public string SeedAddress => $"akka.tcp://{SystemName}@{Host}:{Ports[0]}";

    /// <summary>Node <paramref name="nodeRank"/>'s cluster address.</summary>
    public string AddressOf(int nodeRank) => $"akka.tcp://{SystemName}@{Host}:{Ports[nodeRank]}";

    /// <summary>The <c>--set</c> values of node <paramref name="nodeRank"/>: the user's, then the simulation's (which win).</summary>
    public IReadOnlyList<string> SetsFor(int nodeRank)
    {
        var sets = new List<string>(UserSets);
        void Set(string key, string value) => sets.Add($"actortrain.{key}={value}");
        Set("cluster.hostname", Host);
        Set("cluster.port", Ports[nodeRank].ToString(CultureInfo.InvariantCulture));
        Set("cluster.seed-nodes", SeedAddress);
        Set("job.nnodes", Nodes.ToString(CultureInfo.InvariantCulture));
        Set("job.world-size", "0");
        Set("job.nproc-per-node", ProcsPerNode.ToString(CultureInfo.InvariantCulture));
        Set("job.node-rank", nodeRank.ToString(CultureInfo.InvariantCulture));
        Set("job.rank", "-1");
        Set("job.local-rank", "-1");
        if (MetricsPort > 0) Set("metrics.port", MetricsPortOf(nodeRank).ToString(CultureInfo.InvariantCulture));
        sets.AddRange(FlagSets(Strategy, Transport));
        return sets;
    }

    /// <summary>The <c>--set</c> values that simulate's --strategy and --transport flags stand for (none when not given).</summary>
    public static IEnumerable<string> FlagSets(string? strategy, string? transport)
    {
        if (strategy is not null) yield return $"actortrain.job.sync.strategy={strategy}";
        if (transport is not null) yield return $"actortrain.job.sync.transport={transport}";
    }

    /// <summary>The arguments of node <paramref name="nodeRank"/> (after the executable). A <paramref name="relaunch"/>ed
    /// node lists every other node before itself as seed nodes: it joins the cluster the survivors re-formed and
    /// never forms one of its own (which, as the first seed node, it would).</summary>
    public IReadOnlyList<string> ArgumentsFor(int nodeRank, bool relaunch = false)
    {
        var args = new List<string> { "node" };
        if (ConfigPath is not null) { args.Add("--config"); args.Add(ConfigPath); }
        var sets = SetsFor(nodeRank).ToList();
        if (relaunch)
        {
            sets.Add("actortrain.cluster.max-refused-joins=1000"); // the survivors may still be restarting: keep trying
            sets.Add("actortrain.cluster.seed-nodes=" + string.Join(",",
                Enumerable.Range(0, Nodes).Where(n => n != nodeRank).Append(nodeRank).Select(AddressOf)));
        }
        foreach (var set in sets) { args.Add("--set"); args.Add(set); }
        if (Verbose) args.Add("--verbose");
        args.Add("--parent-pid");
        args.Add(ParentPid.ToString(CultureInfo.InvariantCulture));
        return args;
    }
}
