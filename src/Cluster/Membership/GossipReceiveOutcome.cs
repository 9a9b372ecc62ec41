namespace ActorTrain.Cluster.Membership;

/// <summary>What happened to a received gossip.</summary>
public enum GossipReceiveOutcome
{
    /// <summary>Not applied: from a node that is not a member, about a cluster without us, or from a node we suspect.</summary>
    Ignored,

    /// <summary>Same version as ours; seen sets were merged.</summary>
    Same,

    /// <summary>Older than ours; kept ours.</summary>
    Older,

    /// <summary>Newer than ours; adopted it.</summary>
    Newer,

    /// <summary>Concurrent with ours; merged both.</summary>
    Merged,
}
