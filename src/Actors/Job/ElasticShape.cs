using ActorTrain.Actors.Settings;
using ActorTrain.Model.Checkpoints;
using Microsoft.Extensions.Logging;

namespace ActorTrain.Actors.Job;

/// <summary>
/// The settings of one attempt of a job, once the coordinator said how many nodes it has: the world size follows the
/// node count, train.grad-accum-steps grows or shrinks so the global batch stays the same (settings validation made
/// sure it divides), and a restart resumes from the run directory's last complete checkpoint.
/// </summary>
internal static class ElasticShape
{
    /// <summary>The settings this node's ranks run with under <paramref name="assignment"/>.</summary>
    public static ActorTrainSettings ForAttempt(ActorTrainSettings settings, NodeAssignment assignment, Microsoft.Extensions.Logging.ILogger log)
    {
        var job = settings.Job;
        var train = settings.Train;
        int nodes = assignment.NodeCount > 0 ? assignment.NodeCount : job.Nnodes;
        int accumulation = ElasticNodeRange.AccumulationFor(job.Nnodes, train.GradAccumSteps, nodes)
            ?? throw new JobFailedException(
                $"the job runs with {nodes} node(s), but its global batch (nnodes {job.Nnodes} × grad-accum-steps {train.GradAccumSteps}) does not divide among them; " +
                "set actortrain.train.grad-accum-steps and actortrain.job.min-nodes / max-nodes alike on every node");
        if (nodes != job.Nnodes)
            log.LogWarning("This attempt of the job has {Nodes} of {Nnodes} configured nodes: world size {World}, grad-accum-steps {Accum} (was {Configured}), same global batch",
                nodes, job.Nnodes, nodes * job.NprocPerNode, accumulation, train.GradAccumSteps);
        string resume = train.Resume;
        if (assignment.Restart is not null && new CheckpointStore(job.RunDir).LatestStep() is not null) resume = "latest";
        return settings with
        {
            Job = job with { Nnodes = nodes, NodeRank = assignment.NodeRank },
            Train = train with { GradAccumSteps = accumulation, Resume = resume },
        };
    }
}
