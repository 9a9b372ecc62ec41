using ActorTrain.Cluster.Kernel;

namespace ActorTrain.Cluster.Remoting;

/// <summary>
/// A node incarnation: its network address plus the random uid it drew at start-up, so a node restarted on the
/// same host and port is told apart from its previous life.
/// </summary>
/// <param name="Address">The node's network address (<c>actortrain://system@host:port</c>).</param>
/// <param name="Uid">Random per-process identifier.</param>
public sealed record UniqueAddress(Address Address, long Uid)
{
    /// <inheritdoc />
    public override string ToString() => $"{Address}#{Uid}";
}
