using ActorTrain.Actors.Settings;
using ActorTrain.Cluster.Settings;
using Xunit;

namespace ActorTrain.Actors.Tests.Settings;

/// <summary>Slurm's srun and Open MPI's mpirun variables, through the same loader every command uses: the node rank,
/// node count, host, port and seed a launched node derives.</summary>
public class LauncherEnvironmentTests
{
    private static ActorTrainSettings Load(Dictionary<string, string> env, params string[] sets) =>
        ActorTrainConfigLoader.Load(null, env, sets).Settings;

    private static Dictionary<string, string> Srun(string nodeList, int nnodes, int nodeId, string nodeName, int localId = 0, int? tasksPerNode = null)
    {
        var env = new Dictionary<string, string>
        {
            ["SLURM_JOB_NODELIST"] = nodeList, ["SLURM_NNODES"] = nnodes.ToString(), ["SLURM_NODEID"] = nodeId.ToString(),
            ["SLURM_LOCALID"] = localId.ToString(), ["SLURMD_NODENAME"] = nodeName, ["SLURM_JOB_ID"] = "4242",
        };
        if (tasksPerNode is { } n) env["SLURM_NTASKS_PER_NODE"] = n.ToString();
        return env;
    }

    [Fact]
    public void Srun_one_task_per_node_makes_slurm_node_ids_the_node_ranks_and_the_first_listed_host_the_seed()
    {
        var hosts = SlurmHostList.Expand("gpu[01-03,07]");
        for (int node = 0; node < hosts.Count; node++)
        {
            var s = Load(Srun("gpu[01-03,07]", 4, node, hosts[node], tasksPerNode: 1));
            Assert.Equal((4, node), (s.Job.Nnodes, s.Job.NodeRank));
            Assert.Equal((hosts[node], EnvironmentOverrides.DefaultMasterPort), (s.Cluster.Hostname, s.Cluster.Port));
            Assert.Equal(["akka.tcp://actortrain@gpu01:29500"], s.Cluster.SeedNodes);
        }
    }

    [Fact]
    public void Srun_several_tasks_per_node_gives_each_task_its_own_node_rank_and_port_from_master_port()
    {
        var seen = new HashSet<(string Host, int Port)>();
        var ranks = new List<int>();
        var hosts = new[] { "n7", "n9" };
        for (int node = 0; node < 2; node++)
        for (int local = 0; local < 3; local++)
        {
            var env = Srun("n[7,9]", 2, node, hosts[node], local, tasksPerNode: 3);
            env["MASTER_PORT"] = "31000";
            var s = Load(env, "actortrain.job.nproc-per-node=2");
            Assert.Equal(6, s.Job.Nnodes);
            Assert.Equal(2, s.Job.NprocPerNode);
            ranks.Add(s.Job.NodeRank);
            Assert.True(seen.Add((s.Cluster.Hostname, s.Cluster.Port)), $"two tasks bind {s.Cluster.Hostname}:{s.Cluster.Port}");
            Assert.Equal(31000 + local, s.Cluster.Port);
            Assert.Equal(["akka.tcp://actortrain@n7:31000"], s.Cluster.SeedNodes);
        }
        Assert.Equal(Enumerable.Range(0, 6), ranks.Order());
    }

    [Fact]
    public void Without_ntasks_per_node_the_uniform_slurm_tasks_per_node_is_used_and_an_uneven_one_is_refused()
    {
        var env = Srun("a[1-2]", 2, 1, "a2", localId: 1);
        env["SLURM_TASKS_PER_NODE"] = "2(x2)";
        var s = Load(env);
        Assert.Equal((4, 3, 29501), (s.Job.Nnodes, s.Job.NodeRank, s.Cluster.Port));

        env["SLURM_TASKS_PER_NODE"] = "2,1";
        var e = Assert.Throws<SettingsValidationException>(() => Load(env));
        Assert.Contains("environment variable SLURM_TASKS_PER_NODE is '2,1'", e.Message);
        Assert.Contains("--ntasks-per-node", e.Message);
    }

    [Fact]
    public void The_seed_task_advertises_the_first_host_and_the_values_name_their_variables_as_origin()
    {
        var loaded = ActorTrainConfigLoader.Load(null, Srun("node[01-04]", 4, 0, "node01", tasksPerNode: 1), []);
        Assert.Equal("node01", loaded.Settings.Cluster.Hostname);
        Assert.Contains("SLURM_NODEID", loaded.Effective.GetOrigin("actortrain.job.node-rank")!.Value.Source);
        Assert.Contains("SLURM_JOB_NODELIST", loaded.Effective.GetOrigin("actortrain.cluster.seed-nodes")!.Value.Source);
    }

    [Fact]
    public void Master_addr_and_actortrain_variables_and_set_override_what_slurm_says()
    {
        var env = Srun("node[01-04]", 4, 2, "node03", tasksPerNode: 1);
        env["MASTER_ADDR"] = "10.9.0.1";
        env["ACTORTRAIN_CLUSTER_HOSTNAME"] = "node03-ib";
        var s = Load(env);
        Assert.Equal(["akka.tcp://actortrain@10.9.0.1:29500"], s.Cluster.SeedNodes);
        Assert.Equal("node03-ib", s.Cluster.Hostname);
        Assert.Equal(2, s.Job.NodeRank);
        Assert.Equal(0, Load(env, "actortrain.job.node-rank=0").Job.NodeRank);

        // The seed task then advertises MASTER_ADDR, the address the others join.
        var seed = Srun("node[01-04]", 4, 0, "node01", tasksPerNode: 1);
        seed["MASTER_ADDR"] = "10.9.0.1";
        Assert.Equal("10.9.0.1", Load(seed).Cluster.Hostname);
    }

    [Theory]
    [InlineData("SLURM_NODEID", "x", "environment variable SLURM_NODEID is 'x'")]
    [InlineData("SLURM_NODEID", "4", "environment variable SLURM_NODEID is 4, but SLURM_NNODES is 4")]
    [InlineData("SLURM_NNODES", "", "environment variable SLURM_NNODES is not set")]
    [InlineData("SLURM_LOCALID", "1", "environment variable SLURM_LOCALID is 1, but there are 1 tasks per node")]
    [InlineData("SLURM_JOB_NODELIST", "node[01-", "environment variable SLURM_JOB_NODELIST is not a Slurm host list")]
    [InlineData("SLURMD_NODENAME", "", "environment variable SLURMD_NODENAME is not set")]
    [InlineData("MASTER_PORT", "70000", "environment variable MASTER_PORT is '70000'")]
    public void A_missing_or_malformed_slurm_variable_is_an_error_naming_it(string variable, string value, string message)
    {
        var env = Srun("node[01-04]", 4, 1, "node02", tasksPerNode: 1);
        env[variable] = value;
        var e = Assert.Throws<SettingsValidationException>(() => Load(env));
        Assert.Contains(message, e.Message);
        Assert.Contains(e.Errors, error => error.Key == variable);
    }

    private static Dictionary<string, string> Mpirun(int rank, int size, int localRank, string host) => new()
    {
        ["OMPI_COMM_WORLD_RANK"] = rank.ToString(), ["OMPI_COMM_WORLD_SIZE"] = size.ToString(),
        ["OMPI_COMM_WORLD_LOCAL_RANK"] = localRank.ToString(), ["HOSTNAME"] = host,
    };

    [Fact]
    public void Mpirun_ranks_become_node_ranks_with_master_addr_as_the_seed_that_rank_0_advertises()
    {
        string[] hosts = ["h0", "h0", "h1", "h1"];
        for (int rank = 0; rank < 4; rank++)
        {
            var env = Mpirun(rank, 4, rank % 2, hosts[rank]);
            env["MASTER_ADDR"] = "h0";
            env["MASTER_PORT"] = "29600";
            var s = Load(env);
            Assert.Equal((4, rank), (s.Job.Nnodes, s.Job.NodeRank));
            Assert.Equal((hosts[rank], 29600 + rank % 2), (s.Cluster.Hostname, s.Cluster.Port));
            Assert.Equal(["akka.tcp://actortrain@h0:29600"], s.Cluster.SeedNodes);
        }
    }

    [Fact]
    public void Mpirun_inside_a_slurm_allocation_takes_the_allocation_first_host_as_seed_and_wins_over_the_slurm_variables()
    {
        var env = Mpirun(3, 4, 1, "ignored");
        foreach (var (k, v) in Srun("c[5-6]", 2, 0, "c6", tasksPerNode: 1)) env[k] = v;
        var s = Load(env);
        Assert.Equal((4, 3), (s.Job.Nnodes, s.Job.NodeRank));
        Assert.Equal(("c6", 29501), (s.Cluster.Hostname, s.Cluster.Port));
        Assert.Equal(["akka.tcp://actortrain@c5:29500"], s.Cluster.SeedNodes);
    }

    [Fact]
    public void Mpirun_without_a_seed_or_with_a_rank_beyond_the_size_is_an_error_naming_the_variable()
    {
        var e = Assert.Throws<SettingsValidationException>(() => Load(Mpirun(1, 2, 0, "h")));
        Assert.Contains("environment variable MASTER_ADDR is not set", e.Message);
        Assert.Contains("mpirun -x MASTER_ADDR", e.Message);

        var env = Mpirun(2, 2, 0, "h");
        env["MASTER_ADDR"] = "h0";
        e = Assert.Throws<SettingsValidationException>(() => Load(env));
        Assert.Contains("environment variable OMPI_COMM_WORLD_RANK is 2, but OMPI_COMM_WORLD_SIZE is 2", e.Message);
    }

    [Fact]
    public void Without_launcher_variables_nothing_is_derived()
    {
        Assert.Null(LauncherEnvironment.Derive(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "1", ["PATH"] = "/bin" }));
        var s = Load(new Dictionary<string, string>());
        Assert.Equal(("127.0.0.1", 2552, -1), (s.Cluster.Hostname, s.Cluster.Port, s.Job.NodeRank));
    }
}
