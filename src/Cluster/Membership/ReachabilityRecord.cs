using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>One observation: <paramref name="Observer"/> sees <paramref name="Subject"/> as <paramref name="Status"/>.</summary>
/// <param name="Observer">The node whose failure detector made the observation.</param>
/// <param name="Subject">The node observed.</param>
/// <param name="Status">Reachable or unreachable.</param>
/// <param name="Version">The observer's row version when the record was written.</param>
public sealed record ReachabilityRecord(UniqueAddress Observer, UniqueAddress Subject, ReachabilityStatus Status, long Version);
