using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Cluster.Tests.Hocon;

public class ClusterSettingsTests
{
    [Fact]
    public void Reference_conf_is_embedded_and_parses()
    {
        var reference = ReferenceConfig.Load().Resolve(new Dictionary<string, string>());
        Assert.Equal(2552, reference.GetInt("actortrain.cluster.port"));
        Assert.Equal(4L << 20, reference.GetByteSize("actortrain.remote.maximum-frame-size"));
    }

    [Fact]
    public void Every_reference_key_has_a_comment_line_above_it()
    {
        var lines = ReferenceConfig.LoadText().Split('\n').Select(l => l.Trim()).ToArray();
        for (int i = 1; i < lines.Length; i++)
        {
            bool isKeyLine = lines[i].Length > 0 && !lines[i].StartsWith('#') && lines[i] != "}" && !lines[i].StartsWith("actortrain {") && !lines[i].StartsWith("akka {");
            bool repeatsPreviousKey = i > 0 && lines[i].Split(' ')[0] == lines[i - 1].Split(' ')[0];
            if (isKeyLine && !repeatsPreviousKey) Assert.True(lines[i - 1].StartsWith('#'), $"reference.conf line {i + 1} '{lines[i]}' has no comment above it");
        }
    }

    [Fact]
    public void Cluster_defaults_follow_akka()
    {
        var s = ClusterSettings.Default;
        Assert.Equal("akka.tcp://actortrain@127.0.0.1:2552", s.SelfAddress);
        Assert.Equal(TimeSpan.FromSeconds(1), s.FailureDetector.HeartbeatInterval);
        Assert.Equal(8.0, s.FailureDetector.Threshold);
        Assert.Equal(TimeSpan.FromSeconds(3), s.FailureDetector.AcceptableHeartbeatPause);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.FailureDetector.MinStdDeviation);
        Assert.Equal(1000, s.FailureDetector.MaxSampleSize);
        Assert.Equal(4L << 20, RemoteSettings.Default.MaximumFrameSize);
    }

    [Fact]
    public void Cluster_settings_bind_user_values_over_reference()
    {
        var config = ConfigFactory.ParseString(
            "actortrain.cluster { port = 0, seed-nodes = [\"akka.tcp://actortrain@10.0.0.1:2552\"], failure-detector.threshold = 12 }");
        var s = ClusterSettings.FromConfig(config);
        Assert.Equal(0, s.Port);
        Assert.Equal(12.0, s.FailureDetector.Threshold);
        Assert.Single(s.SeedNodes);
        Assert.Equal(s with { Port = 5 }, s with { Port = 5 });
    }

    [Fact]
    public void Invalid_cluster_values_are_all_reported()
    {
        var config = ConfigFactory.ParseString("actortrain.cluster {\n  port = 99999\n  failure-detector.threshold = -1\n}", "c.conf");
        var e = Assert.Throws<SettingsValidationException>(() => ClusterSettings.FromConfig(config));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("'actortrain.cluster.port' = 99999 (at c.conf:2): must be between 0 and 65535", e.Message);
        Assert.Contains("'actortrain.cluster.failure-detector.threshold' = -1 (at c.conf:3): must be > 0", e.Message);
    }

    [Theory]
    [InlineData("akka.tcp://sys@host:2552", null)]
    [InlineData("actortrain://sys@host:2552", "must start with")]
    [InlineData("akka.tcp://host:2552", "must name the actor system")]
    [InlineData("akka.tcp://sys@host", "host:port")]
    [InlineData("akka.tcp://sys@host:0", "port between 1 and 65535")]
    [InlineData("akka.tcp://other@host:1", "same name")]
    public void Seed_addresses_are_validated(string address, string? problem)
    {
        var result = SeedNodeAddress.Validate(address, "sys");
        if (problem is null) Assert.Null(result);
        else Assert.Contains(problem, result);
    }

    [Theory]
    [InlineData("actortrain.cluster.seed-node", "actortrain.cluster.seed-nodes")]
    [InlineData("actortrain.cluster.hostnme", "actortrain.cluster.hostname")]
    [InlineData("actortrain.job.sync.bucketcap", "actortrain.job.sync.bucket-cap")]
    [InlineData("actortrain.completely.unrelated.thing", null)]
    public void Suggester_finds_the_nearest_valid_key(string typo, string? expected)
    {
        string[] valid = { "actortrain.cluster.seed-nodes", "actortrain.cluster.hostname", "actortrain.cluster.port", "actortrain.job.sync.bucket-cap" };
        Assert.Equal(expected, KeySuggester.Suggest(typo, valid));
    }

    [Fact]
    public void Levenshtein_distance_counts_edits()
    {
        Assert.Equal(3, KeySuggester.Distance("kitten", "sitting"));
        Assert.Equal(0, KeySuggester.Distance("a", "a"));
        Assert.Equal(4, KeySuggester.Distance("", "abcd"));
    }

    [Fact]
    public void Unknown_key_checker_reports_origin_and_ignores_other_roots()
    {
        var user = ConfigFactory.ParseString("other.x = 1\nactortrain.remote {\n  ask-timeot = 1s\n}", "u.conf");
        var errors = UnknownKeyChecker.Check(user, ReferenceConfig.Load());
        var error = Assert.Single(errors);
        Assert.Equal("actortrain.remote.ask-timeot", error.Key);
        Assert.Equal(3, error.Origin!.Value.Line);
        Assert.Contains("did you mean 'actortrain.remote.ask-timeout'", error.Message);
    }

    private enum Sample { ParameterServer, Gpt2Normal, [ConfigName("bf16")] BFloat16 }

    [Fact]
    public void Enum_names_are_kebab_case_or_overridden()
    {
        Assert.Equal(new[] { "parameter-server", "gpt2-normal", "bf16" }, SettingsEnum.Names<Sample>());
        Assert.True(SettingsEnum.TryParse<Sample>("bf16", out var v) && v == Sample.BFloat16);
        Assert.False(SettingsEnum.TryParse<Sample>("ParameterServer", out _));
    }
}
