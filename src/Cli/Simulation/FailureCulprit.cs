using ActorTrain.Cli.Commands;

namespace ActorTrain.Cli.Simulation;

/// <summary>
/// Which simulated node made the job fail — not simply the first process to exit: a node killed by a signal, else the
/// node that the survivors' "job failed on node A (node rank r): node B … " messages name as the cause (a frozen node
/// never exits; the others stop and name it).
/// </summary>
public static class FailureCulprit
{
    /// <summary>The culprit's name (node-i) and what happened to it, or null when the output does not tell.</summary>
    public static (string Node, string What)? Find(NodeLaunchPlan plan, IReadOnlyDictionary<string, int?> exitCodes, NodeOutputTail tail)
    {
        foreach (var (name, code) in exitCodes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (code is > 128) return (name, SimulateCommand.Describe(code.Value));
        for (int i = 0; i < plan.Nodes; i++)
        {
            foreach (var line in tail.Lines($"node-{i}"))
            {
                int at = line.IndexOf("job failed on node ", StringComparison.Ordinal);
                if (at < 0) continue;
                int cause = line.IndexOf("): ", at, StringComparison.Ordinal);
                if (cause < 0) continue;
                string rest = line[(cause + 3)..];
                var named = Enumerable.Range(0, plan.Nodes)
                    .Where(k => k != i)
                    .Select(k => (Node: k, At: rest.IndexOf(plan.AddressOf(k) + " ", StringComparison.Ordinal)))
                    .Where(x => x.At >= 0)
                    .OrderBy(x => x.At)
                    .ToList();
                if (named.Count == 0) continue;
                string name = $"node-{named[0].Node}";
                string what = exitCodes.TryGetValue(name, out var exit) && exit is null
                    ? "stopped answering (still running, unreachable: frozen or cut off)"
                    : rest.Contains("UNREACHABLE", StringComparison.Ordinal) ? "became unreachable" : "failed";
                return (name, what);
            }
        }
        return null;
    }
}
