using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

public class ActorTrainConfigLoaderTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void Precedence_is_cli_over_env_over_file_over_reference()
    {
        using var files = new SettingsTestFiles();
        var file = files.Write("my.conf", "actortrain.train { lr = 1e-2, steps = 50, seed = 7 }\nactortrain.job.nnodes = 3");
        var env = new Dictionary<string, string> { ["ACTORTRAIN_TRAIN_LR"] = "5e-3", ["ACTORTRAIN_TRAIN_STEPS"] = "60" };
        var loaded = ActorTrainConfigLoader.Load(file, env, new[] { "actortrain.train.lr=1e-3" });
        var train = loaded.Settings.Train;
        Assert.Equal(1e-3, train.Lr);          // --set
        Assert.Equal(60, train.Steps);         // env
        Assert.Equal(7, train.Seed);           // file
        Assert.Equal(64, train.MicroBatchSize); // reference
        Assert.Equal(3, loaded.Settings.Job.Nnodes);
        Assert.Equal("--set actortrain.train.lr=1e-3", loaded.Effective.GetOrigin("actortrain.train.lr")!.Value.Source);
        Assert.Equal("environment variable ACTORTRAIN_TRAIN_STEPS", loaded.Effective.GetOrigin("actortrain.train.steps")!.Value.Source);
    }

    [Fact]
    public void Torchrun_variables_map_onto_job_and_seed_keys()
    {
        var env = new Dictionary<string, string>
        {
            ["MASTER_ADDR"] = "10.1.2.3", ["MASTER_PORT"] = "29400", ["WORLD_SIZE"] = "4", ["NPROC_PER_NODE"] = "2",
            ["NODE_RANK"] = "1", ["RANK"] = "3", ["LOCAL_RANK"] = "1",
        };
        var s = ActorTrainConfigLoader.Load(null, env, new[] { "actortrain.cluster.system-name=trainer" }).Settings;
        Assert.Equal(new[] { "akka.tcp://trainer@10.1.2.3:29400" }, s.Cluster.SeedNodes);
        Assert.Equal((2, 2, 4, 1, 1, 3), (s.Job.Nnodes, s.Job.NprocPerNode, s.Job.WorldSize, s.Job.NodeRank, s.Job.LocalRank, s.Job.Rank));
        Assert.Equal("127.0.0.1", s.Cluster.Hostname); // node 1 is not the master: it keeps its own address
    }

    [Fact]
    public void Master_node_binds_to_master_addr_and_port()
    {
        var env = new Dictionary<string, string> { ["MASTER_ADDR"] = "10.1.2.3", ["NODE_RANK"] = "0" };
        var s = ActorTrainConfigLoader.Load(null, env, Array.Empty<string>()).Settings;
        Assert.Equal(("10.1.2.3", EnvironmentOverrides.DefaultMasterPort), (s.Cluster.Hostname, s.Cluster.Port));
        Assert.Equal(new[] { "akka.tcp://actortrain@10.1.2.3:29500" }, s.Cluster.SeedNodes);
    }

    [Fact]
    public void Actortrain_variable_wins_over_torchrun_variable()
    {
        var env = new Dictionary<string, string> { ["NODE_RANK"] = "1", ["ACTORTRAIN_JOB_NODE_RANK"] = "0", ["ACTORTRAIN_JOB_NNODES"] = "2" };
        Assert.Equal(0, ActorTrainConfigLoader.Load(null, env, Array.Empty<string>()).Settings.Job.NodeRank);
    }

    [Fact]
    public void Unknown_actortrain_variable_is_a_warning_with_suggestion()
    {
        var env = new Dictionary<string, string> { ["ACTORTRAIN_TRIAN_LR"] = "1", ["ACTORTRAIN_LOG"] = "x" };
        var loaded = ActorTrainConfigLoader.Load(null, env, Array.Empty<string>(), ignoredEnvironmentVariables: new[] { "ACTORTRAIN_LOG" });
        var warning = Assert.Single(loaded.Warnings);
        Assert.Contains("ACTORTRAIN_TRIAN_LR", warning);
        Assert.Contains("did you mean ACTORTRAIN_TRAIN_LR", warning);
    }

    [Fact]
    public void Set_values_are_typed_by_reference()
    {
        var loaded = ActorTrainConfigLoader.Load(null, NoEnv, new[]
        {
            "actortrain.cluster.tls.password=a#b c",
            "actortrain.cluster.seed-nodes=akka.tcp://actortrain@h1:2552, akka.tcp://actortrain@h2:2552",
            "actortrain.cluster.roles=[\"gpu\", \"big\"]",
            "actortrain.job.sync.bucket-cap=4 MiB",
            "actortrain.job.join-timeout=2 minutes",
            "actortrain.job.sync.ps.apply-optimizer=off",
        });
        var s = loaded.Settings;
        Assert.Equal("a#b c", s.Cluster.Tls.Password);
        Assert.Equal(new[] { "akka.tcp://actortrain@h1:2552", "akka.tcp://actortrain@h2:2552" }, s.Cluster.SeedNodes);
        Assert.Equal(new[] { "gpu", "big" }, s.Cluster.Roles);
        Assert.Equal(4L << 20, s.Job.Sync.BucketCap);
        Assert.Equal(TimeSpan.FromMinutes(2), s.Job.JoinTimeout);
        Assert.False(s.Job.Sync.Ps.ApplyOptimizer);
    }

    [Fact]
    public void Set_error_names_the_option_as_origin()
    {
        var e = Assert.Throws<SettingsValidationException>(() =>
            ActorTrainConfigLoader.Load(null, NoEnv, new[] { "actortrain.train.steps=many", "actortrain.trian.lr=1", "oops" }));
        Assert.True(e.Errors.Count == 3, e.Message);
        Assert.Contains(e.Errors, x => x.Message.Contains("--set expects key=value"));
        Assert.Contains(e.Errors, x => x.Key == "actortrain.train.steps" && x.Message.Contains("--set actortrain.train.steps=many") && x.Message.Contains("\"many\""));
        Assert.Contains(e.Errors, x => x.Message.Contains("unknown key 'actortrain.trian'") && x.Message.Contains("did you mean 'actortrain.train'"));
    }

    [Fact]
    public void Syntax_error_in_config_file_gives_file_line_column()
    {
        using var files = new SettingsTestFiles();
        var file = files.Write("broken.conf", "actortrain {\n  cluster {\n    port = \n  }\n}");
        var e = Assert.Throws<HoconParseException>(() => ActorTrainConfigLoader.Load(file, NoEnv, Array.Empty<string>()));
        Assert.Equal((3, 12), (e.Line, e.Column));
        Assert.EndsWith("broken.conf", e.File);
    }

    [Fact]
    public void Unresolvable_substitution_in_user_file_is_a_validation_error()
    {
        using var files = new SettingsTestFiles();
        var file = files.Write("sub.conf", "actortrain.job.run-dir = ${RUNS_ROOT}\"/x\"");
        var e = Assert.Throws<SettingsValidationException>(() => ActorTrainConfigLoader.Load(file, NoEnv, Array.Empty<string>()));
        Assert.Contains("RUNS_ROOT", Assert.Single(e.Errors).Message);
        var ok = ActorTrainConfigLoader.Load(file, new Dictionary<string, string> { ["RUNS_ROOT"] = "/data" }, Array.Empty<string>());
        Assert.Equal("/data/x", ok.Settings.Job.RunDir);
    }

    [Fact]
    public void Effective_config_renders_as_json_and_hocon_that_rebind_identically()
    {
        var loaded = ActorTrainConfigLoader.Load(null, NoEnv, new[] { "actortrain.train.steps=77" });
        var fromHocon = ActorTrainSettings.Load(ConfigFactory.ParseString(loaded.Effective.ToHocon()), NoEnv);
        Assert.Equal(loaded.Settings.Train, fromHocon.Train);
        Assert.Equal(loaded.Settings.Cluster with { SeedNodes = [], Roles = [] }, fromHocon.Cluster with { SeedNodes = [], Roles = [] });
        Assert.Contains("\"steps\": 77", loaded.Effective.ToJson());
    }
}
