using System.Globalization;
using System.Net;
using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Where a node sits when a batch launcher started it: Slurm's <c>srun</c> (SLURM_NODEID, SLURM_NNODES, SLURM_LOCALID,
/// SLURM_NTASKS_PER_NODE, SLURM_JOB_NODELIST, SLURMD_NODENAME) or Open MPI's <c>mpirun</c> (OMPI_COMM_WORLD_RANK,
/// OMPI_COMM_WORLD_SIZE, OMPI_COMM_WORLD_LOCAL_RANK). Every launched process is one ActorTrain node (hosting
/// actortrain.job.nproc-per-node ranks): its node rank, the node count, its host and port, and the seed node (the host of
/// node rank 0) follow from the variables. This is the lowest environment layer: torchrun-style variables (MASTER_ADDR,
/// MASTER_PORT, ...) and ACTORTRAIN_* variables override it, and --set overrides those.
/// </summary>
public static class LauncherEnvironment
{
    /// <summary>Seed host, node host and base port derived for one launched process.</summary>
    /// <param name="Launcher">"slurm" or "mpirun".</param>
    /// <param name="Nnodes">ActorTrain nodes in the job (= launched processes).</param>
    /// <param name="NodeRank">This process's node rank (0 = the seed).</param>
    /// <param name="Hostname">The host this node binds to and advertises.</param>
    /// <param name="Port">The port this node listens on (base port + local task index, so tasks of one host differ).</param>
    /// <param name="SeedHost">Host of node rank 0.</param>
    /// <param name="SeedPort">Port of node rank 0 (the base port).</param>
    /// <param name="Source">The variables it came from, for config origins.</param>
    public sealed record Placement(string Launcher, int Nnodes, int NodeRank, string Hostname, int Port, string SeedHost, int SeedPort, string Source);

    /// <summary>The placement the variables describe, or null when no launcher variables are set (OMPI_COMM_WORLD_RANK
    /// wins over SLURM_NODEID: mpirun inside a Slurm allocation starts the processes itself). Throws
    /// <see cref="SettingsValidationException"/> naming the variable when one is missing or malformed.</summary>
    /// <param name="environment">The process environment.</param>
    /// <param name="localHostName">This machine's host name, for nodes whose launcher does not say it (mpirun ranks
    /// other than 0 without SLURMD_NODENAME); null = HOSTNAME, else <see cref="Dns.GetHostName"/>.</param>
    public static Placement? Derive(IReadOnlyDictionary<string, string> environment, string? localHostName = null)
    {
        var reader = new VariableReader(environment);
        Placement? placement = null;
        if (environment.ContainsKey("OMPI_COMM_WORLD_RANK")) placement = Mpirun(reader, localHostName);
        else if (environment.ContainsKey("SLURM_NODEID")) placement = Slurm(reader);
        reader.ThrowIfErrors();
        return placement;
    }

    /// <summary>The placement as a config layer (job.nnodes, job.node-rank, cluster.hostname, cluster.port,
    /// cluster.seed-nodes); empty when no launcher variables are set.</summary>
    public static Config Build(IReadOnlyDictionary<string, string> environment, Config reference)
    {
        var placement = Derive(environment);
        if (placement is null) return Config.Empty;
        var origin = new HoconOrigin(placement.Source, 0, 0);
        string Text(int i) => i.ToString(CultureInfo.InvariantCulture);
        var layer = Config.Empty;
        void Set(string key, HoconNode value) => layer = ConfigFactory.FromValue(key, value).WithFallback(layer);
        Set("actortrain.job.nnodes", OverrideValue.Parse("actortrain.job.nnodes", Text(placement.Nnodes), placement.Source, reference));
        Set("actortrain.job.node-rank", OverrideValue.Parse("actortrain.job.node-rank", Text(placement.NodeRank), placement.Source, reference));
        Set("actortrain.cluster.hostname", HoconScalar.String(placement.Hostname, origin));
        Set("actortrain.cluster.port", OverrideValue.Parse("actortrain.cluster.port", Text(placement.Port), placement.Source, reference));
        Set("actortrain.cluster.seed-nodes", EnvironmentOverrides.SeedNodes(placement.SeedHost, Text(placement.SeedPort), placement.Source));
        return layer;
    }

    /// <summary>
    /// srun: one task per (node, local task). Node rank = SLURM_NODEID × SLURM_NTASKS_PER_NODE + SLURM_LOCALID, nodes =
    /// SLURM_NNODES × SLURM_NTASKS_PER_NODE, port = base + SLURM_LOCALID, seed = the first host of SLURM_JOB_NODELIST at
    /// the base port (MASTER_PORT, else torchrun's 29500; MASTER_ADDR, when set, names the seed host instead), this host =
    /// SLURMD_NODENAME (the name the node list uses).
    /// </summary>
    private static Placement Slurm(VariableReader env)
    {
        int nodeId = env.Int("SLURM_NODEID", min: 0) ?? 0;
        int nnodes = env.Int("SLURM_NNODES", min: 1, required: true) ?? 1;
        int localId = env.Int("SLURM_LOCALID", min: 0) ?? 0;
        int tasksPerNode = env.Int("SLURM_NTASKS_PER_NODE", min: 1) ?? env.UniformTasksPerNode("SLURM_TASKS_PER_NODE") ?? 1;
        int basePort = BasePort(env);
        string nodeListVariable = env.Has("SLURM_JOB_NODELIST") ? "SLURM_JOB_NODELIST" : "SLURM_NODELIST";
        // MASTER_ADDR, as torchrun's Slurm recipes export it, names the seed; else the allocation's first host.
        string? seedHost = env.Text("MASTER_ADDR")?.Trim('[', ']') ?? env.HostListFirst(nodeListVariable);
        if (nodeId >= nnodes) env.Fail("SLURM_NODEID", $"is {nodeId}, but SLURM_NNODES is {nnodes}: a node id must be below the node count");
        if (localId >= tasksPerNode) env.Fail("SLURM_LOCALID", $"is {localId}, but there are {tasksPerNode} tasks per node (SLURM_NTASKS_PER_NODE)");

        bool seed = nodeId == 0 && localId == 0;
        // The seed must advertise exactly the address the others join; every other node names itself as Slurm does.
        string? host = seed ? seedHost : env.Text("SLURMD_NODENAME", required: true);
        return new Placement("slurm", nnodes * tasksPerNode, nodeId * tasksPerNode + localId, host ?? "", basePort + localId,
            seedHost ?? "", basePort, "environment variables SLURM_NODEID/SLURM_NNODES/SLURM_LOCALID/SLURM_NTASKS_PER_NODE/" + nodeListVariable);
    }

    /// <summary>
    /// mpirun: one process per ActorTrain node. Node rank = OMPI_COMM_WORLD_RANK, nodes = OMPI_COMM_WORLD_SIZE, port =
    /// base + OMPI_COMM_WORLD_LOCAL_RANK; the seed is MASTER_ADDR (mpirun -x MASTER_ADDR=…), else the first host of
    /// SLURM_JOB_NODELIST when mpirun runs inside a Slurm allocation. Rank 0 advertises the seed host.
    /// </summary>
    private static Placement Mpirun(VariableReader env, string? localHostName)
    {
        int rank = env.Int("OMPI_COMM_WORLD_RANK", min: 0) ?? 0;
        int size = env.Int("OMPI_COMM_WORLD_SIZE", min: 1, required: true) ?? 1;
        int localRank = env.Int("OMPI_COMM_WORLD_LOCAL_RANK", min: 0) ?? 0;
        int basePort = BasePort(env);
        if (rank >= size) env.Fail("OMPI_COMM_WORLD_RANK", $"is {rank}, but OMPI_COMM_WORLD_SIZE is {size}: a rank must be below the size");
        string? seedHost = env.Text("MASTER_ADDR")?.Trim('[', ']')
                           ?? (env.Has("SLURM_JOB_NODELIST") ? env.HostListFirst("SLURM_JOB_NODELIST") : null);
        if (!env.Has("MASTER_ADDR") && !env.Has("SLURM_JOB_NODELIST"))
            env.Fail("MASTER_ADDR", "is not set: under mpirun the seed node (the host of rank 0) must be given, e.g. " +
                                    "mpirun -x MASTER_ADDR=$(hostname) -x MASTER_PORT=29500 … actortrain node");
        string host = rank == 0 ? seedHost ?? "" : env.Text("SLURMD_NODENAME") ?? localHostName ?? env.Text("HOSTNAME") ?? Dns.GetHostName();
        return new Placement("mpirun", size, rank, host, basePort + localRank, seedHost ?? "", basePort,
            "environment variables OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE/OMPI_COMM_WORLD_LOCAL_RANK" + (env.Has("MASTER_ADDR") ? "/MASTER_ADDR" : "/SLURM_JOB_NODELIST"));
    }

    /// <summary>MASTER_PORT when set (as torchrun's recipes export it), else torchrun's default 29500.</summary>
    private static int BasePort(VariableReader env) => env.Int("MASTER_PORT", min: 1, max: 65535) ?? EnvironmentOverrides.DefaultMasterPort;

    /// <summary>Reads launcher variables, collecting one error per bad variable (each names the variable).</summary>
    private sealed class VariableReader(IReadOnlyDictionary<string, string> environment)
    {
        private readonly List<SettingsError> _errors = new();

        public bool Has(string name) => Text(name) is not null;

        public string? Text(string name, bool required = false)
        {
            if (environment.TryGetValue(name, out var value) && value.Trim().Length > 0) return value.Trim();
            if (required) Fail(name, "is not set; the launcher sets it for every task it starts (set it yourself when launching by hand)");
            return null;
        }

        public int? Int(string name, int min, int max = int.MaxValue, bool required = false)
        {
            if (Text(name, required) is not { } text) return null;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max) return value;
            Fail(name, $"is '{text}': expected a whole number {(max == int.MaxValue ? $"≥ {min}" : $"from {min} to {max}")}");
            return null;
        }

        /// <summary>SLURM_TASKS_PER_NODE ("2(x3)" or "2,2"), when it names the same count for every node.</summary>
        public int? UniformTasksPerNode(string name)
        {
            if (Text(name) is not { } text) return null;
            var counts = text.Split(',').Select(part => part.Split('(')[0]).Distinct().ToList();
            if (counts.Count == 1 && int.TryParse(counts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
            Fail(name, $"is '{text}': ActorTrain needs the same number of tasks on every node; set --ntasks-per-node (SLURM_NTASKS_PER_NODE)");
            return null;
        }

        public string? HostListFirst(string name)
        {
            if (Text(name, required: true) is not { } text) return null;
            try { return SlurmHostList.First(text); }
            catch (FormatException e) { Fail(name, $"is not a Slurm host list: {e.Message}"); return null; }
        }

        public void Fail(string name, string problem) =>
            _errors.Add(new SettingsError(name, $"environment variable {name} {problem}", new HoconOrigin($"environment variable {name}", 0, 0)));

        public void ThrowIfErrors()
        {
            if (_errors.Count > 0) throw new SettingsValidationException(_errors);
        }
    }
}
