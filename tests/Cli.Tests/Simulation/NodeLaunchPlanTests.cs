using ActorTrain.Cli.Simulation;
using Xunit;

namespace ActorTrain.Cli.Tests.Simulation;

public sealed class NodeLaunchPlanTests
{
    private static NodeLaunchPlan Plan(int metricsPort) =>
        new(3, 1, [4000, 4001, 4002], "actortrain", null, ["actortrain.metrics.port=9400"], null, null, 1) { MetricsPort = metricsPort };

    [Fact]
    public void With_metrics_on_node_i_serves_the_port_plus_i_after_the_users_own_setting()
    {
        var plan = Plan(9400);
        for (int node = 0; node < 3; node++)
        {
            var sets = plan.SetsFor(node);
            Assert.Equal($"actortrain.metrics.port={9400 + node}", sets.Last(s => s.StartsWith("actortrain.metrics.port=", StringComparison.Ordinal)));
            Assert.True(sets.ToList().LastIndexOf($"actortrain.metrics.port={9400 + node}") > sets.ToList().IndexOf("actortrain.metrics.port=9400"));
        }
    }

    [Fact]
    public void With_metrics_off_no_port_is_set()
    {
        var plan = Plan(0);
        Assert.Equal(0, plan.MetricsPortOf(1));
        Assert.Equal(["actortrain.metrics.port=9400"], plan.SetsFor(1).Where(s => s.StartsWith("actortrain.metrics.", StringComparison.Ordinal)));
    }
}
