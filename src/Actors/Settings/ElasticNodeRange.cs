using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// <c>actortrain.job.min-nodes</c> / <c>max-nodes</c>: how many nodes an elastic job may run with. Both default to
/// nnodes (0 in the config). min-nodes must be a majority of nnodes: after a network partition each side re-runs the
/// rendezvous on its own, and only a majority can reach min-nodes, so two sides never train (and write checkpoints)
/// at once. The global batch must divide at every size in the range (checked with the train section).
/// </summary>
internal static class ElasticNodeRange
{
    /// <summary>Reads and checks the two keys against <paramref name="nnodes"/>.</summary>
    public static (int Min, int Max) Bind(SettingsReader reader, int nnodes, bool shapeOk)
    {
        const string p = JobSettings.Path + ".";
        int min = reader.Int(p + "min-nodes", 0, 65536);
        int max = reader.Int(p + "max-nodes", 0, 65536);
        if (min == 0) min = nnodes;
        if (max == 0) max = nnodes;
        if (!shapeOk || !reader.Ok(p + "min-nodes", p + "max-nodes")) return (min, max);
        if (min > nnodes)
            reader.Fail(p + "min-nodes", $"must not exceed nnodes ({nnodes}), got {min}");
        else if (min * 2 <= nnodes)
            reader.Fail(p + "min-nodes", $"must be a majority of nnodes ({nnodes}), i.e. at least {nnodes / 2 + 1}, got {min}: " +
                                         "otherwise both sides of a network partition could go on training");
        if (max < nnodes)
            reader.Fail(p + "max-nodes", $"must be at least nnodes ({nnodes}), got {max}");
        return (min, max);
    }

    /// <summary>
    /// Cross-section rule: at every node count n in [min-nodes, max-nodes] the global batch
    /// (nnodes × nproc-per-node × micro-batch-size × grad-accum-steps) must split into n × nproc-per-node ranks ×
    /// micro-batch-size × a whole number of accumulation steps.
    /// </summary>
    public static void CheckGlobalBatch(SettingsReader reader, JobSettings job, TrainSettings train)
    {
        const string accumKey = "actortrain.train.grad-accum-steps";
        if (job.MinNodes == job.Nnodes && job.MaxNodes == job.Nnodes) return;
        if (!reader.Ok(JobSettings.Path + ".min-nodes", JobSettings.Path + ".max-nodes", JobSettings.Path + ".nnodes", accumKey)) return;
        var bad = Enumerable.Range(job.MinNodes, job.MaxNodes - job.MinNodes + 1)
            .Where(n => AccumulationFor(job.Nnodes, train.GradAccumSteps, n) is null).ToList();
        if (bad.Count > 0)
            reader.Fail(accumKey,
                $"the global batch of nnodes ({job.Nnodes}) × grad-accum-steps ({train.GradAccumSteps}) micro-batches per rank slot does not divide " +
                $"among {string.Join(", ", bad)} node(s), which actortrain.job.min-nodes ({job.MinNodes}) .. max-nodes ({job.MaxNodes}) allow; " +
                "raise grad-accum-steps to a multiple of every node count in that range, or narrow the range");
        if (job.Sync.Strategy == SyncStrategy.ParameterServer && job.Sync.Ps.Shards == 0)
            reader.Fail(JobSettings.Path + ".sync.ps.shards",
                "must be set (> 0) when actortrain.job.min-nodes / max-nodes let the node count change: one shard per node would change the shard layout");
    }

    /// <summary>The accumulation steps that keep the global batch with <paramref name="nodes"/> nodes, or null when it does not divide.</summary>
    public static int? AccumulationFor(int nnodes, int gradAccumSteps, int nodes)
    {
        long total = (long)nnodes * gradAccumSteps;
        return total % nodes == 0 ? (int)(total / nodes) : null;
    }
}
