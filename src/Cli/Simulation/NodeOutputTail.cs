namespace ActorTrain.Cli.Simulation;

/// <summary>The last lines each simulated node wrote, to show why a node failed once the run is over.</summary>
public sealed class NodeOutputTail(int linesPerNode = 40)
{
    private readonly Dictionary<string, Queue<string>> _lines = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Remembers <paramref name="line"/> of <paramref name="node"/>, forgetting the oldest beyond the limit.</summary>
    public void Add(string node, string line)
    {
        lock (_gate)
        {
            if (!_lines.TryGetValue(node, out var queue)) _lines[node] = queue = new Queue<string>();
            queue.Enqueue(line);
            while (queue.Count > linesPerNode) queue.Dequeue();
        }
    }

    /// <summary>The remembered lines of <paramref name="node"/> that report an error (error:, fail:, crit:).</summary>
    public IReadOnlyList<string> ErrorLines(string node)
    {
        lock (_gate)
            return _lines.TryGetValue(node, out var queue) ? queue.Where(IsError).ToList() : [];
    }

    /// <summary>
    /// The node's final error: its "error: …" line and causes when it printed one (the message meant for the user),
    /// else its error-level log lines.
    /// </summary>
    public IReadOnlyList<string> FinalErrorLines(string node)
    {
        lock (_gate)
        {
            if (!_lines.TryGetValue(node, out var queue)) return [];
            var lines = queue.ToList();
            int start = lines.FindLastIndex(l => l.StartsWith("error:", StringComparison.Ordinal));
            if (start < 0) return lines.Where(IsError).ToList();
            return lines.Skip(start).TakeWhile((l, i) => i == 0 || l.StartsWith("  caused by:", StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>The remembered lines of <paramref name="node"/>.</summary>
    public IReadOnlyList<string> Lines(string node)
    {
        lock (_gate)
            return _lines.TryGetValue(node, out var queue) ? queue.ToList() : [];
    }

    /// <summary>True for an error line: the CLI's "error: …" or a log line at error/critical level.</summary>
    public static bool IsError(string line) =>
        line.StartsWith("error:", StringComparison.Ordinal) || line.StartsWith("  caused by:", StringComparison.Ordinal)
        || line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal);

    /// <summary>True for a warning-or-worse log line (shown even while a progress bar is live).</summary>
    public static bool IsWarningOrWorse(string line) => IsError(line) || line.Contains(" warn: ", StringComparison.Ordinal);
}
