using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job</c>: the shape of the job (nodes × ranks per node) and this process's place in it.
/// <c>rank = node_rank × nproc_per_node + local_rank</c>.</summary>
public sealed record JobSettings
{
    /// <summary>Config path of this section.</summary>
    public const string Path = "actortrain.job";

    /// <summary>Number of nodes (&gt;= 1); derived from world-size when that is set.</summary>
    public int Nnodes { get; init; }

    /// <summary>Ranks per node (&gt;= 1).</summary>
    public int NprocPerNode { get; init; }

    /// <summary>Total ranks = <see cref="Nnodes"/> × <see cref="NprocPerNode"/>.</summary>
    public int WorldSize => Nnodes * NprocPerNode;

    /// <summary>This node's rank (0 .. nnodes-1), or -1 = assigned by the leader. Derived from rank when that is set.</summary>
    public int NodeRank { get; init; }

    /// <summary>The single local rank this process hosts (0 .. nproc-per-node-1), or -1 = all local ranks of the node.</summary>
    public int LocalRank { get; init; }

    /// <summary>The global rank this process hosts when launched one process per rank, else -1.</summary>
    public int Rank { get; init; }

    /// <summary>The job fails, naming missing ranks, when not all are Up within this time.</summary>
    public TimeSpan JoinTimeout { get; init; }

    /// <summary>Restarts after a lost member before the job gives up (0 = stop at the first loss, naming the checkpoint).</summary>
    public int MaxRestarts { get; init; }

    /// <summary>Fewest nodes the rendezvous proceeds with once join-timeout passed (= <see cref="Nnodes"/> unless elastic).</summary>
    public int MinNodes { get; init; }

    /// <summary>Most nodes in the job; the rendezvous closes as soon as this many registered (= <see cref="Nnodes"/> unless elastic).</summary>
    public int MaxNodes { get; init; }

    /// <summary>Run directory (checkpoints, metrics, effective config).</summary>
    public string RunDir { get; init; } = "";

    /// <summary>Gradient synchronisation.</summary>
    public SyncSettings Sync { get; init; } = new();

    /// <summary>Pretraining or fine-tuning (<c>actortrain.finetune</c>).</summary>
    public JobKind Kind { get; init; }

    private static (int NodeRank, int LocalRank) CheckRanks(SettingsReader reader, int nnodes, int nproc, int nodeRank, int localRank, int rank)
    {
        const string p = Path + ".";
        if (nodeRank >= nnodes) reader.Fail(p + "node-rank", $"must be -1 or less than nnodes ({nnodes})");
        if (localRank >= nproc) reader.Fail(p + "local-rank", $"must be -1 or less than nproc-per-node ({nproc})");
        if (rank >= nnodes * nproc)
        {
            reader.Fail(p + "rank", $"must be -1 or less than the world size ({nnodes} nodes × {nproc} = {nnodes * nproc})");
            return (nodeRank, localRank);
        }
        if (rank < 0) return (nodeRank, localRank);
        int derivedNode = rank / nproc, derivedLocal = rank % nproc;
        if (nodeRank >= 0 && nodeRank != derivedNode)
            reader.Fail(p + "rank", $"puts this process on node {derivedNode} (rank / nproc-per-node), but node-rank is {nodeRank}");
        if (localRank >= 0 && localRank != derivedLocal)
            reader.Fail(p + "rank", $"is local rank {derivedLocal} (rank mod nproc-per-node), but local-rank is {localRank}");
        return (derivedNode, derivedLocal);
    }

    /// <summary>Reads and validates the section, deriving nnodes from world-size and node-rank/local-rank from rank.</summary>
    public static JobSettings Bind(SettingsReader reader)
    {
        const string p = Path + ".";
        int nnodes = reader.Int(p + "nnodes", 1, 65536);
        int nproc = reader.Int(p + "nproc-per-node", 1, 4096);
        int worldSize = reader.Int(p + "world-size", min: 0);
        bool shapeOk = reader.Ok(p + "nnodes", p + "nproc-per-node", p + "world-size");
        if (worldSize > 0 && shapeOk)
        {
            if (worldSize % nproc != 0)
                reader.Fail(p + "world-size", $"must be a multiple of nproc-per-node ({nproc})");
            else
                nnodes = worldSize / nproc;
        }

        int nodeRank = reader.Int(p + "node-rank", min: -1);
        int localRank = reader.Int(p + "local-rank", min: -1);
        int rank = reader.Int(p + "rank", min: -1);
        // Ranks are checked only against a valid job shape, so that one bad value is reported once.
        if (shapeOk && reader.Ok(p + "node-rank", p + "local-rank", p + "rank"))
            (nodeRank, localRank) = CheckRanks(reader, nnodes, nproc, nodeRank, localRank, rank);

        int maxRestarts = reader.Int(p + "max-restarts", 0, 1000);
        var (minNodes, maxNodes) = ElasticNodeRange.Bind(reader, nnodes, shapeOk);
        return new JobSettings
        {
            Nnodes = nnodes,
            MaxRestarts = maxRestarts,
            MinNodes = minNodes,
            MaxNodes = maxNodes,
            NprocPerNode = nproc,
            NodeRank = nodeRank,
            LocalRank = localRank,
            Rank = rank,
            JoinTimeout = reader.PositiveDuration(p + "join-timeout"),
            RunDir = reader.NonEmptyString(p + "run-dir"),
            Sync = SyncSettings.Bind(reader),
            Kind = reader.Enum<JobKind>(p + "kind"),
        };
    }
}
