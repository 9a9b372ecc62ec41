using ActorTrain.Cluster.Serialization;
using MessagePack;

namespace ActorTrain.Actors.Job;

// The job's rendezvous protocol between node agents (/user/node), the job coordinator (the cluster singleton
// /user/job/job) and the parameter-server actors (/user/ps-<k>), kept together as one vocabulary. Each is a
// MessagePack contract with integer keys, written by MessagePackContractSerializer (manifests in reference.conf).

/// <summary>A node is Up and offers its ranks: sent by its agent to the coordinator (repeated until assigned).</summary>
/// <param name="NodeAddress">The node's cluster address (akka.tcp://system@host:port).</param>
/// <param name="ConfiguredNodeRank">node-rank from config/env, or -1 for "assign me one".</param>
/// <param name="Host">Host the node's sync listeners are bound to.</param>
/// <param name="MachineId">The machine's id (co-located ranks use shared memory).</param>
/// <param name="RankPorts">Port of the sync listener of each local rank (index = local rank).</param>
/// <param name="Restart">Set by a node that rejoins after the job lost a member (null on a fresh start).</param>
[MessagePackObject]
public sealed record RegisterNode(
    [property: Key(0)] string NodeAddress,
    [property: Key(1)] int ConfiguredNodeRank,
    [property: Key(2)] string Host,
    [property: Key(3)] string MachineId,
    [property: Key(4)] int[] RankPorts,
    [property: Key(5)] RestartContext? Restart = null) : IMessageContract;

/// <summary>Why and how often an elastic job restarted (actortrain.job.max-restarts).</summary>
/// <param name="Attempt">Restarts so far (1 = the first restart).</param>
/// <param name="Cause">What ended the previous attempt, in words (names the lost node).</param>
/// <param name="LostNodes">Cluster addresses of the nodes that were lost.</param>
[MessagePackObject]
public sealed record RestartContext(
    [property: Key(0)] int Attempt,
    [property: Key(1)] string Cause,
    [property: Key(2)] string[] LostNodes);

/// <summary>The coordinator's answer once every node registered: this node's rank and the parameter-server shards it hosts.</summary>
/// <param name="NodeRank">The node's rank (0 .. nnodes-1).</param>
/// <param name="ShardCount">Number of parameter-server shards in the job (0 for ring).</param>
/// <param name="HostedShards">The shards this node must start (shard k lives on node k mod nnodes).</param>
/// <param name="NodeCount">Nodes in this attempt of the job (between min-nodes and max-nodes; 0 from an older coordinator = nnodes).</param>
/// <param name="Restart">The latest restart any registered node reported (null when the job starts fresh): every node
/// then resumes from the last complete checkpoint, also one that was relaunched and knows nothing of the restart.</param>
/// <param name="DataLinkToken">
/// The job's data-link token (32 random bytes, drawn once by the coordinator): every data-plane connection of the job
/// presents it, every sync listener and parameter-server shard requires it. Sent with the assignment, so shards have
/// it before any rank can connect.
/// </param>
[MessagePackObject]
public sealed record NodeAssignment(
    [property: Key(0)] int NodeRank,
    [property: Key(1)] int ShardCount,
    [property: Key(2)] int[] HostedShards,
    [property: Key(3)] byte[] DataLinkToken,
    [property: Key(4)] int NodeCount = 0,
    [property: Key(5)] RestartContext? Restart = null) : IMessageContract;

/// <summary>A parameter-server shard listens and waits for ranks: sent by the shard actor to the coordinator.</summary>
/// <param name="Endpoint">Where the shard listens.</param>
[MessagePackObject]
public sealed record ShardReady([property: Key(0)] JobEndpoint Endpoint) : IMessageContract;

/// <summary>Where one rank (or parameter-server shard) listens, and on which node it lives.</summary>
/// <param name="Index">Global rank, or shard index.</param>
/// <param name="Host">Listener host.</param>
/// <param name="Port">Listener port.</param>
/// <param name="MachineId">Machine id of the host.</param>
/// <param name="NodeAddress">Cluster address of the hosting node.</param>
/// <param name="NodeRank">Rank of the hosting node.</param>
[MessagePackObject]
public sealed record JobEndpoint(
    [property: Key(0)] int Index,
    [property: Key(1)] string Host,
    [property: Key(2)] int Port,
    [property: Key(3)] string MachineId,
    [property: Key(4)] string NodeAddress,
    [property: Key(5)] int NodeRank);

/// <summary>The full rendezvous table, sent to every node once all ranks and shards registered.</summary>
/// <param name="Ranks">Every rank's endpoint, index = global rank.</param>
/// <param name="Shards">Every parameter-server shard's endpoint, index = shard (empty for ring).</param>
[MessagePackObject]
public sealed record RendezvousTable(
    [property: Key(0)] JobEndpoint[] Ranks,
    [property: Key(1)] JobEndpoint[] Shards) : IMessageContract;

/// <summary>The coordinator gave up on the job before it started (join timeout, conflicting node ranks).</summary>
/// <param name="Reason">Why, in words for the user.</param>
[MessagePackObject]
public sealed record JobAborted([property: Key(0)] string Reason) : IMessageContract;
