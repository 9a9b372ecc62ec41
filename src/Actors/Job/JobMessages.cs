namespace ActorTrain.Actors.Job;

// The job's rendezvous protocol between node agents (/user/node), the job coordinator (/user/job) and the
// parameter-server actors (/user/ps-<k>), kept together as one vocabulary. Wire forms: JobSerializers.

/// <summary>A node is Up and offers its ranks: sent by its agent to the coordinator (repeated until assigned).</summary>
/// <param name="NodeAddress">The node's cluster address (actortrain://system@host:port).</param>
/// <param name="ConfiguredNodeRank">node-rank from config/env, or -1 for "assign me one".</param>
/// <param name="Host">Host the node's sync listeners are bound to.</param>
/// <param name="MachineId">The machine's id (co-located ranks use shared memory).</param>
/// <param name="RankPorts">Port of the sync listener of each local rank (index = local rank).</param>
public sealed record RegisterNode(string NodeAddress, int ConfiguredNodeRank, string Host, string MachineId, int[] RankPorts);

/// <summary>The coordinator's answer once every node registered: this node's rank and the parameter-server shards it hosts.</summary>
/// <param name="NodeRank">The node's rank (0 .. nnodes-1).</param>
/// <param name="ShardCount">Number of parameter-server shards in the job (0 for ring).</param>
/// <param name="HostedShards">The shards this node must start (shard k lives on node k mod nnodes).</param>
/// <param name="DataLinkToken">
/// The job's data-link token (32 random bytes, drawn once by the coordinator): every data-plane connection of the job
/// presents it, every sync listener and parameter-server shard requires it. Sent with the assignment, so shards have
/// it before any rank can connect.
/// </param>
public sealed record NodeAssignment(int NodeRank, int ShardCount, int[] HostedShards, byte[] DataLinkToken);

/// <summary>A parameter-server shard listens and waits for ranks: sent by the shard actor to the coordinator.</summary>
public sealed record ShardReady(JobEndpoint Endpoint);

/// <summary>Where one rank (or parameter-server shard) listens, and on which node it lives.</summary>
/// <param name="Index">Global rank, or shard index.</param>
/// <param name="Host">Listener host.</param>
/// <param name="Port">Listener port.</param>
/// <param name="MachineId">Machine id of the host.</param>
/// <param name="NodeAddress">Cluster address of the hosting node.</param>
/// <param name="NodeRank">Rank of the hosting node.</param>
public sealed record JobEndpoint(int Index, string Host, int Port, string MachineId, string NodeAddress, int NodeRank);

/// <summary>The full rendezvous table, sent to every node once all ranks and shards registered.</summary>
/// <param name="Ranks">Every rank's endpoint, index = global rank.</param>
/// <param name="Shards">Every parameter-server shard's endpoint, index = shard (empty for ring).</param>
public sealed record RendezvousTable(JobEndpoint[] Ranks, JobEndpoint[] Shards);

/// <summary>The coordinator gave up on the job before it started (join timeout, conflicting node ranks).</summary>
public sealed record JobAborted(string Reason);
