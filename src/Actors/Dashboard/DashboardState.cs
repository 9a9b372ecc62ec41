using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrain.Actors.Job;

namespace ActorTrain.Actors.Dashboard;

/// <summary>
/// What the dashboard shows, kept by <see cref="DashboardActor"/> (one thread) and rendered as one JSON document that
/// the page receives whole on every update: the nodes (membership status, node rank, ranks, parameter-server shards),
/// the step counter, loss/throughput/validation curves, per-rank step times, recent warnings and the last checkpoint.
/// Curves keep at most <see cref="MaxPoints"/> points: beyond that every other point is dropped (the shape stays).
/// </summary>
public sealed class DashboardState
{
    /// <summary>Most points kept per curve.</summary>
    public const int MaxPoints = 2000;

    private const int MaxWarnings = 20;
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly string _coordinatorNode;
    private readonly Dictionary<string, NodeView> _nodes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, RankView> _ranks = new();
    private readonly List<double[]> _loss = new(), _throughput = new(), _validation = new();
    private readonly List<WarningView> _warnings = new();
    private CheckpointView? _checkpoint;
    private long _step, _totalSteps;
    private double _elapsed;
    private string _phase = "forming";

    /// <summary>Starts empty; <paramref name="coordinatorNode"/> is the node serving the dashboard.</summary>
    public DashboardState(string coordinatorNode) => _coordinatorNode = coordinatorNode;

    /// <summary>A member's status changed (up, leaving, exiting, down, removed, …).</summary>
    public void OnMember(string address, string status)
    {
        Node(address).Status = status;
        // Removed also ends every graceful leave at the end of a job; only a downing is news.
        if (status == "down") Warn($"node {address} was downed");
    }

    /// <summary>A member became unreachable or reachable again.</summary>
    public void OnReachability(string address, bool reachable)
    {
        var node = Node(address);
        if (node.Reachable && !reachable) Warn($"node {address} is unreachable");
        node.Reachable = reachable;
    }

    /// <summary>The job formed: every rank's and shard's place.</summary>
    public void OnTable(RendezvousTable table)
    {
        foreach (var r in table.Ranks)
        {
            var node = Node(r.NodeAddress);
            node.NodeRank = r.NodeRank;
            if (!node.Ranks.Contains(r.Index)) node.Ranks.Add(r.Index);
            if (!_ranks.ContainsKey(r.Index)) _ranks[r.Index] = new RankView { Rank = r.Index, Node = r.NodeAddress };
        }
        foreach (var s in table.Shards)
        {
            var node = Node(s.NodeAddress);
            if (!node.Shards.Contains(s.Index)) node.Shards.Add(s.Index);
        }
        if (_phase == "forming") _phase = "running";
    }

    /// <summary>A node reported its ranks' progress.</summary>
    public void OnProgress(RankProgress progress)
    {
        foreach (var e in progress.Ranks)
        {
            if (!_ranks.TryGetValue(e.Rank, out var rank)) _ranks[e.Rank] = rank = new RankView { Rank = e.Rank, Node = progress.NodeAddress };
            rank.Step = e.Step;
            rank.StepSeconds = e.StepSeconds;
            rank.SyncWaitSeconds = e.SyncWaitSeconds;
            rank.TokensPerSecond = e.TokensPerSecond;
        }
    }

    /// <summary>Rank 0's training events arrived.</summary>
    public void OnEvents(RunEvents events)
    {
        foreach (var e in events.Events)
        {
            _totalSteps = e.TotalSteps;
            _elapsed = Math.Max(_elapsed, e.ElapsedSeconds);
            switch (e.Kind)
            {
                case "start":
                    _phase = "running";
                    break;
                case "step":
                    _step = Math.Max(_step, e.Step);
                    if (e.Loss is { } loss) Add(_loss, e.Step, loss);
                    if (e.TokensPerSecond is { } rate && rate > 0) Add(_throughput, e.Step, rate);
                    break;
                case "eval":
                    if (e.ValidationLoss is { } val) Add(_validation, e.Step, val);
                    break;
                case "checkpoint":
                    _checkpoint = new CheckpointView(e.Step, e.Message ?? "");
                    break;
                case "warning":
                    Warn($"step {e.Step}: {e.Message}");
                    break;
                case "done":
                    _step = Math.Max(_step, e.Step);
                    _phase = "finished";
                    break;
            }
        }
    }

    /// <summary>The whole state as one JSON document.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        phase = _phase,
        coordinator = _coordinatorNode,
        step = _step,
        totalSteps = _totalSteps,
        elapsedSeconds = _elapsed,
        nodes = _nodes.Values.OrderBy(n => n.NodeRank < 0 ? int.MaxValue : n.NodeRank).ThenBy(n => n.Address, StringComparer.Ordinal)
            .Select(n => new { n.Address, n.Status, n.Reachable, n.NodeRank, Ranks = n.Ranks.Order(), Shards = n.Shards.Order(), Coordinator = n.Address == _coordinatorNode }),
        ranks = _ranks.Values,
        loss = _loss,
        throughput = _throughput,
        validationLoss = _validation,
        warnings = _warnings,
        lastCheckpoint = _checkpoint,
        updated = DateTime.UtcNow,
    }, Json);

    private NodeView Node(string address)
    {
        if (!_nodes.TryGetValue(address, out var node)) _nodes[address] = node = new NodeView { Address = address };
        return node;
    }

    private void Warn(string text)
    {
        _warnings.Add(new WarningView(DateTime.UtcNow, text));
        if (_warnings.Count > MaxWarnings) _warnings.RemoveAt(0);
    }

    private static void Add(List<double[]> curve, long step, double value)
    {
        if (curve.Count > 0 && curve[^1][0] >= step) curve.RemoveAll(p => p[0] >= step); // a resumed run goes back
        curve.Add([step, value]);
        if (curve.Count <= MaxPoints) return;
        for (int i = curve.Count - 2; i > 0; i -= 2) curve.RemoveAt(i); // keep the first and the last
    }

    private sealed class NodeView
    {
        [JsonPropertyName("address")] public string Address { get; init; } = "";
        [JsonPropertyName("status")] public string Status { get; set; } = "joining";
        [JsonPropertyName("reachable")] public bool Reachable { get; set; } = true;
        [JsonPropertyName("nodeRank")] public int NodeRank { get; set; } = -1;
        [JsonPropertyName("ranks")] public List<int> Ranks { get; } = new();
        [JsonPropertyName("shards")] public List<int> Shards { get; } = new();
    }

    private sealed class RankView
    {
        [JsonPropertyName("rank")] public int Rank { get; init; }
        [JsonPropertyName("node")] public string Node { get; init; } = "";
        [JsonPropertyName("step")] public long Step { get; set; }
        [JsonPropertyName("stepSeconds")] public double StepSeconds { get; set; }
        [JsonPropertyName("syncWaitSeconds")] public double SyncWaitSeconds { get; set; }
        [JsonPropertyName("tokensPerSecond")] public double TokensPerSecond { get; set; }
    }

    private sealed record WarningView([property: JsonPropertyName("time")] DateTime Time, [property: JsonPropertyName("text")] string Text);

    private sealed record CheckpointView([property: JsonPropertyName("step")] long Step, [property: JsonPropertyName("path")] string Path);
}
