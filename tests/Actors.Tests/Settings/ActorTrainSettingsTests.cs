using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

public class ActorTrainSettingsTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    private static SettingsValidationException Invalid(string userText, string source = "user.conf") =>
        Assert.Throws<SettingsValidationException>(() => ActorTrainSettings.Load(ConfigFactory.ParseString(userText, source), NoEnv));

    [Fact]
    public void Reference_conf_binds_without_errors_to_the_documented_defaults()
    {
        var s = ActorTrainSettings.Default;
        Assert.Equal("actortrain", s.Cluster.SystemName);
        Assert.Equal(2552, s.Cluster.Port);
        Assert.Empty(s.Cluster.SeedNodes);
        Assert.Equal(TimeSpan.FromSeconds(2), s.Cluster.SeedNodeTimeout);
        Assert.Equal(8.0, s.Cluster.FailureDetector.Threshold);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.Cluster.FailureDetector.MinStdDeviation);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Cluster.FailureDetector.AcceptableHeartbeatPause);
        Assert.Equal(4L << 20, s.Remote.MaximumFrameSize);
        Assert.Equal(25L << 20, s.Job.Sync.BucketCap);
        Assert.Equal(SyncStrategy.Ring, s.Job.Sync.Strategy);
        Assert.Equal(-1, s.Job.NodeRank);
        Assert.Equal(ModelPreset.GptSmall, s.Model.Preset);
        Assert.Equal(OptimizerKind.AdamW, s.Train.Optimizer);
        Assert.Equal(ResumeMode.None, s.Train.ResumeMode);
        Assert.False(s.Cluster.Tls.Enabled);
        Assert.Equal("", s.Cluster.Tls.Password);
    }

    [Fact]
    public void Reference_model_defaults_equal_the_gpt_small_preset()
    {
        var m = ActorTrainSettings.Default.Model;
        var reference = ActorTrainSettings.Load(ConfigFactory.ParseString("actortrain.model.preset = custom"), NoEnv).Model;
        Assert.Equal(ModelSettings.PresetDimensions(ModelPreset.GptSmall), (reference.VocabSize, reference.Context, reference.Width, reference.Layers, reference.Heads, reference.MlpRatio));
        Assert.Equal(reference with { Preset = ModelPreset.GptSmall }, m);
    }

    [Fact]
    public void Both_examples_bind()
    {
        var hocon = SettingsTestFiles.HoconFolder();
        var twoMachines = ActorTrainConfigLoader.Load(Path.Combine(hocon, "examples", "two-machine-seed.conf"), NoEnv, Array.Empty<string>()).Settings;
        Assert.Equal(2, twoMachines.Job.Nnodes);
        Assert.Equal(new[] { "akka.tcp://actortrain@10.0.0.1:2552" }, twoMachines.Cluster.SeedNodes);
        var simulation = ActorTrainConfigLoader.Load(Path.Combine(hocon, "examples", "one-machine-simulation.conf"), NoEnv, Array.Empty<string>()).Settings;
        Assert.Equal(4, simulation.Job.WorldSize);
        Assert.Equal(ComputeDevice.Cpu, simulation.Model.Device);
    }

    [Fact]
    public void Unknown_key_names_file_line_and_suggests_the_nearest_key()
    {
        var e = Invalid("actortrain {\n  cluster {\n    seed-node = []\n  }\n}", "cluster.conf");
        var error = Assert.Single(e.Errors);
        Assert.Equal("unknown key 'actortrain.cluster.seed-node' in cluster.conf:3 — did you mean 'actortrain.cluster.seed-nodes'?", error.Message);
    }

    [Fact]
    public void Unknown_key_in_wrong_section_suggests_the_key_elsewhere()
    {
        var e = Invalid("actortrain.train.bucket-cap = 1MiB");
        Assert.Contains("did you mean 'actortrain.job.sync.bucket-cap'?", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void Keys_outside_actortrain_are_not_checked()
    {
        Assert.Equal(2552, ActorTrainSettings.Load(ConfigFactory.ParseString("akka.loglevel = DEBUG\nmy-app.x = 1"), NoEnv).Cluster.Port);
    }

    [Fact]
    public void Wrong_type_names_key_value_origin_and_expected_type()
    {
        var e = Invalid("actortrain.cluster.port = \"twenty\"", "c.conf");
        var message = Assert.Single(e.Errors).Message;
        Assert.Contains("'actortrain.cluster.port'", message);
        Assert.Contains("\"twenty\"", message);
        Assert.Contains("c.conf:1", message);
        Assert.Contains("expected an integer", message);
    }

    [Theory]
    [InlineData("actortrain.cluster.port = -1", "actortrain.cluster.port", "between 0 and 65535")]
    [InlineData("actortrain.cluster.port = 70000", "actortrain.cluster.port", "between 0 and 65535")]
    [InlineData("actortrain.cluster.failure-detector.threshold = 0", "actortrain.cluster.failure-detector.threshold", "> 0")]
    [InlineData("actortrain.cluster.failure-detector.heartbeat-interval = 0s", "actortrain.cluster.failure-detector.heartbeat-interval", "greater than 0s")]
    [InlineData("actortrain.cluster.min-nr-of-members = 0", "actortrain.cluster.min-nr-of-members", "at least 1")]
    [InlineData("actortrain.cluster.system-name = \"my system\"", "actortrain.cluster.system-name", "letters, digits")]
    [InlineData("actortrain.cluster.seed-nodes = [\"tcp://x@h:1\"]", "actortrain.cluster.seed-nodes", "akka.tcp://")]
    [InlineData("actortrain.cluster.seed-nodes = [\"akka.tcp://other@h:1\"]", "actortrain.cluster.seed-nodes", "same name")]
    [InlineData("actortrain.cluster.tls { enabled = on, ca = \"/etc/os-release\" }", "actortrain.cluster.tls.certificate", "must name a file")]
    [InlineData("actortrain.model { preset = custom, width = 130, heads = 4 }", "actortrain.model.heads", "must divide width (130)")]
    [InlineData("actortrain.model.width = 102", "actortrain.model.heads", "must divide width (102)")]
    [InlineData("actortrain.model.dropout = 1.0", "actortrain.model.dropout", "< 1")]
    [InlineData("actortrain.model.dtype = float16", "actortrain.model.dtype", "one of float32, bfloat16")]
    [InlineData("actortrain.job.sync.strategy = allreduce", "actortrain.job.sync.strategy", "one of ring, parameter-server")]
    [InlineData("actortrain.job { world-size = 5, nproc-per-node = 2 }", "actortrain.job.world-size", "multiple of nproc-per-node")]
    [InlineData("actortrain.job { nnodes = 2, node-rank = 2 }", "actortrain.job.node-rank", "less than nnodes (2)")]
    [InlineData("actortrain.job { nnodes = 2, nproc-per-node = 2, rank = 3, node-rank = 0 }", "actortrain.job.rank", "node 1")]
    [InlineData("actortrain.job.sync.ps { mode = ssp, staleness = 0 }", "actortrain.job.sync.ps.staleness", "at least 1 when mode = ssp")]
    [InlineData("actortrain.job.sync.ps { mode = ssp, staleness = 2 }", "actortrain.job.sync.ps.mode", "not implemented yet")]
    [InlineData("actortrain.job.sync.ps.apply-optimizer = on", "actortrain.job.sync.ps.apply-optimizer", "needs actortrain.job.sync.strategy = parameter-server")]
    [InlineData("actortrain.job.sync { strategy = parameter-server, shard-optimizer = on, ps.apply-optimizer = on }", "actortrain.job.sync.shard-optimizer", "shards already hold the optimizer")]
    [InlineData("actortrain.data.source = text", "actortrain.data.path", "must name the input file")]
    [InlineData("actortrain.data.train-size = 20000", "actortrain.data.train-size", "more problems than the 10,000 distinct sums max-operand 99 gives")]
    [InlineData("actortrain.data { max-operand = 9, train-size = 100, val-size = 200 }, actortrain.train.eval-samples = 10", "actortrain.data.train-size", "100 distinct sums")]
    [InlineData("actortrain.model { preset = custom, context = 0 }", "actortrain.model.context", "must be between 1 and")]
    [InlineData("actortrain.model.init = orthogonal", "actortrain.model.init", "must be one of gpt2-normal")]
    [InlineData("actortrain.train.min-lr = 1.0", "actortrain.train.min-lr", "must not exceed lr")]
    [InlineData("actortrain.train.warmup-steps = 1000", "actortrain.train.warmup-steps", "must not exceed steps")]
    [InlineData("actortrain.train.eval-samples = 100000", "actortrain.train.eval-samples", "val-size")]
    [InlineData("actortrain.train.beta2 = 1", "actortrain.train.beta2", "< 1")]
    [InlineData("actortrain.train.optimizer = adam", "actortrain.train.optimizer", "adamw, sgd")]
    [InlineData("actortrain.train.resume = \"\"", "actortrain.train.resume", "must not be empty")]
    public void Out_of_range_value_names_the_key_and_the_rule(string userText, string key, string rule)
    {
        var e = Invalid(userText);
        var error = Assert.Single(e.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void All_errors_are_reported_together()
    {
        var e = Invalid("actortrain {\n  cluster.port = x\n  train.lr = -1\n  model.widht = 3\n}");
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains("3 problems", e.Message);
        Assert.Contains(e.Errors, x => x.Key == "actortrain.model.widht" && x.Message.Contains("did you mean 'actortrain.model.width'"));
        Assert.Contains(e.Errors, x => x.Key == "actortrain.cluster.port");
        Assert.Contains(e.Errors, x => x.Key == "actortrain.train.lr" && x.Message.Contains("> 0"));
    }

    [Fact]
    public void Section_given_as_a_value_is_an_error()
    {
        var e = Invalid("actortrain.remote = 5");
        Assert.Contains(e.Errors, x => x.Key == "actortrain.remote" && x.Message.Contains("must be an object"));
    }

    [Fact]
    public void Named_preset_sets_dimensions_and_explicit_keys_override_it()
    {
        var bench = ActorTrainSettings.Load(ConfigFactory.ParseString("actortrain.model.preset = gpt-bench"), NoEnv).Model;
        Assert.Equal((128, 256, 4), (bench.Context, bench.Width, bench.Layers));
        var tweaked = ActorTrainSettings.Load(ConfigFactory.ParseString("actortrain.model { preset = gpt-bench, layers = 2 }"), NoEnv).Model;
        Assert.Equal((128, 256, 2), (tweaked.Context, tweaked.Width, tweaked.Layers));
    }

    [Fact]
    public void World_size_determines_nnodes_and_rank_determines_node_and_local_rank()
    {
        var job = ActorTrainSettings.Load(ConfigFactory.ParseString("actortrain.job { world-size = 8, nproc-per-node = 2, rank = 5 }"), NoEnv).Job;
        Assert.Equal((4, 8, 2, 1), (job.Nnodes, job.WorldSize, job.NodeRank, job.LocalRank));
    }

    [Fact]
    public void Tls_password_comes_from_the_environment_through_the_optional_substitution()
    {
        var env = new Dictionary<string, string> { ["ACTORTRAIN_CLUSTER_TLS_PASSWORD"] = "s3cret#1" };
        Assert.Equal("s3cret#1", ActorTrainSettings.Load(Config.Empty, env).Cluster.Tls.Password);
    }
}
