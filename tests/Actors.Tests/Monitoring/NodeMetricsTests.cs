using System.Diagnostics;
using System.Text;
using ActorTrain.Actors.Monitoring;
using ActorTrain.Actors.Reporting;
using ActorTrain.Actors.Sync.Transport;
using Prometheus;
using Xunit;

namespace ActorTrain.Actors.Tests.Monitoring;

public sealed class NodeMetricsTests
{
    private static async Task<IReadOnlyList<PrometheusText.Sample>> ScrapeAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return PrometheusText.Parse(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static double Value(IReadOnlyList<PrometheusText.Sample> samples, string name, string label, string value) =>
        Assert.Single(samples, s => s.Name == name && s.Label(label) == value).Value;

    [Fact]
    public async Task The_exposition_holds_each_ranks_steps_tokens_and_seconds_and_they_advance_with_the_steps()
    {
        var stats = new RankStepStats();
        var metrics = new NodeMetrics("127.0.0.1:2552", cluster: null, stats);
        long second = Stopwatch.Frequency;
        stats.Record(rank: 2, step: 1, tokens: 100, computeTicks: second, syncWaitTicks: second / 2, optimizerTicks: second / 4);
        stats.Record(rank: 3, step: 1, tokens: 50, computeTicks: second, syncWaitTicks: 0, optimizerTicks: 0);
        metrics.OnTrainingEvent(new TrainingEvent { Kind = "step", Step = 1, Loss = 4.5, TokensPerSecond = 1234 });

        var first = await ScrapeAsync(metrics.Registry);
        Assert.Equal(1, Value(first, "actortrain_steps_total", "rank", "2"));
        Assert.Equal(100, Value(first, "actortrain_tokens_total", "rank", "2"));
        Assert.Equal(0.5, Value(first, "actortrain_sync_wait_seconds_total", "rank", "2"), 6);
        Assert.Equal(1.75, Value(first, "actortrain_step_seconds_total", "rank", "2"), 6);
        Assert.Equal(100 / 1.75, Value(first, "actortrain_tokens_per_second", "rank", "2"), 6);
        Assert.Equal(50, Value(first, "actortrain_tokens_total", "rank", "3"));
        Assert.Equal(4.5, Value(first, "actortrain_loss", "node", "127.0.0.1:2552"));
        Assert.Equal(0, Value(first, "actortrain_restarts_total", "node", "127.0.0.1:2552"));
        Assert.All(first, s => Assert.Equal("127.0.0.1:2552", s.Label("node")));
        foreach (var kind in TransportByteCounters.Kinds)
        {
            Assert.Single(first, s => s.Name == "actortrain_transport_sent_bytes_total" && s.Label("transport") == kind);
            Assert.Single(first, s => s.Name == "actortrain_transport_received_bytes_total" && s.Label("transport") == kind);
        }

        double sentBefore = Value(first, "actortrain_transport_sent_bytes_total", "transport", "akka");
        TransportByteCounters.AddSent("akka", 4096);
        stats.Record(rank: 2, step: 2, tokens: 100, computeTicks: second, syncWaitTicks: second, optimizerTicks: 0);
        metrics.RecordRestarts(1);
        var next = await ScrapeAsync(metrics.Registry);
        Assert.Equal(2, Value(next, "actortrain_steps_total", "rank", "2"));
        Assert.Equal(1.5, Value(next, "actortrain_sync_wait_seconds_total", "rank", "2"), 6);
        Assert.True(Value(next, "actortrain_transport_sent_bytes_total", "transport", "akka") >= sentBefore + 4096);
        Assert.Equal(1, Value(next, "actortrain_restarts_total", "node", "127.0.0.1:2552"));
    }

    [Theory]
    [InlineData("metric_total 1\n", "has no TYPE")]
    [InlineData("# TYPE a counter\na 1\n", "does not end in _total")]
    [InlineData("# TYPE a_total counter\na_total{x=\"1} 1\n", "not a sample")]
    [InlineData("# TYPE g gauge\ng one\n", "not a float")]
    public void The_exposition_reader_of_these_tests_refuses_malformed_text(string text, string problem) =>
        Assert.Contains(problem, Assert.Throws<FormatException>(() => PrometheusText.Parse(text)).Message);
}
