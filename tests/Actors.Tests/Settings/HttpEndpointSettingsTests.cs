using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

public sealed class HttpEndpointSettingsTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Metrics_and_dashboard_are_off_by_default_and_bind_to_loopback()
    {
        var s = ActorTrainSettings.Default;
        Assert.False(s.Metrics.Enabled);
        Assert.False(s.Dashboard.Enabled);
        Assert.Equal("127.0.0.1", s.Metrics.Host);
        Assert.Equal("127.0.0.1", s.Dashboard.Host);
    }

    [Fact]
    public void Set_ports_turn_them_on_with_their_urls()
    {
        var s = ActorTrainSettings.Load(ConfigFactory.ParseString("actortrain.metrics { port = 9400, host = \"0.0.0.0\" }\nactortrain.dashboard.port = 8265"), NoEnv);
        Assert.Equal("http://0.0.0.0:9400/metrics", s.Metrics.Url("/metrics"));
        Assert.Equal("http://127.0.0.1:8265/", s.Dashboard.Url("/"));
    }

    [Theory]
    [InlineData("actortrain.metrics.port = 70000", "actortrain.metrics.port", "between 0 and 65535")]
    [InlineData("actortrain.metrics.port = -1", "actortrain.metrics.port", "between 0 and 65535")]
    [InlineData("actortrain.dashboard.host = localhost", "actortrain.dashboard.host", "must be an IP address")]
    [InlineData("actortrain.dashboard.host = \"\"", "actortrain.dashboard.host", "must not be empty")]
    public void A_bad_value_names_the_key_and_the_rule(string userText, string key, string rule)
    {
        var e = Assert.Throws<SettingsValidationException>(() => ActorTrainSettings.Load(ConfigFactory.ParseString(userText, "user.conf"), NoEnv));
        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(rule, error.Message);
    }
}
