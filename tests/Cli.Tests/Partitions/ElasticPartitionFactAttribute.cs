using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Cli.Tests.Partitions;

/// <summary>Runs where namespaces are available and actortrain.job.max-restarts exists; says which is missing otherwise.</summary>
internal sealed class ElasticPartitionFactAttribute : FactAttribute
{
    public ElasticPartitionFactAttribute()
    {
        if (NetworkNamespaceLab.WhyUnavailable is { } why) Skip = $"network namespaces unavailable here: {why}";
        else if (!ReferenceConfig.Load().HasPath("actortrain.job.max-restarts")) Skip = "needs max-restarts (branch elastic)";
    }
}
