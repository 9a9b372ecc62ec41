using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>actortrain.job.max-restarts / min-nodes / max-nodes: defaults and the errors that name the keys.</summary>
public class ElasticSettingsTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    private static ActorTrainSettings Load(string text) => ActorTrainSettings.Load(ConfigFactory.ParseString(text, "user.conf"), NoEnv);

    private static string Invalid(string text) => Assert.Throws<SettingsValidationException>(() => Load(text)).Message;

    [Fact]
    public void By_default_the_job_does_not_restart_and_runs_with_exactly_nnodes()
    {
        var job = Load("actortrain.job.nnodes = 3").Job;
        Assert.Equal(0, job.MaxRestarts);
        Assert.Equal((3, 3), (job.MinNodes, job.MaxNodes));
    }

    [Fact]
    public void An_elastic_range_binds_when_the_global_batch_divides_at_every_size()
    {
        var job = Load("actortrain.job { nnodes = 3, min-nodes = 2, max-nodes = 4, max-restarts = 2 }\nactortrain.train.grad-accum-steps = 4").Job;
        Assert.Equal((2, 3, 4, 2), (job.MinNodes, job.Nnodes, job.MaxNodes, job.MaxRestarts));
        Assert.Equal(6, ElasticNodeRange.AccumulationFor(3, 4, 2));
        Assert.Equal(3, ElasticNodeRange.AccumulationFor(3, 4, 4));
        Assert.Null(ElasticNodeRange.AccumulationFor(3, 1, 2));
    }

    [Theory]
    [InlineData("actortrain.job { nnodes = 3, min-nodes = 1 }", "actortrain.job.min-nodes", "majority of nnodes (3), i.e. at least 2")]
    [InlineData("actortrain.job { nnodes = 3, min-nodes = 4 }", "actortrain.job.min-nodes", "must not exceed nnodes (3)")]
    [InlineData("actortrain.job { nnodes = 3, max-nodes = 2 }", "actortrain.job.max-nodes", "at least nnodes (3)")]
    [InlineData("actortrain.job { max-restarts = -1 }", "actortrain.job.max-restarts", "")]
    [InlineData("actortrain.job { nnodes = 3, min-nodes = 2 }", "actortrain.train.grad-accum-steps", "does not divide among 2 node(s)")]
    [InlineData("actortrain.job { nnodes = 3, min-nodes = 2, sync.strategy = parameter-server }\nactortrain.train.grad-accum-steps = 2",
        "actortrain.job.sync.ps.shards", "must be set")]
    public void Bad_values_name_the_key(string text, string key, string rule)
    {
        var message = Invalid(text);
        Assert.Contains(key, message);
        Assert.Contains(rule, message);
    }
}
