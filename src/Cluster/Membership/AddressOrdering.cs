using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// Akka's member address ordering: host (ordinal), then port, then uid. Leader election and the order of
/// Joining→Up moves follow it, so every node computes the same answer from the same gossip.
/// </summary>
public sealed class AddressOrdering : IComparer<Address>, IComparer<UniqueAddress>, IComparer<Member>
{
    /// <summary>The shared instance.</summary>
    public static readonly AddressOrdering Instance = new();

    /// <inheritdoc />
    public int Compare(Address? x, Address? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = string.CompareOrdinal(x.Host, y.Host);
        if (c != 0) return c;
        c = Nullable.Compare(x.Port, y.Port);
        if (c != 0) return c;
        c = string.CompareOrdinal(x.System, y.System);
        return c != 0 ? c : string.CompareOrdinal(x.Protocol, y.Protocol);
    }

    /// <inheritdoc />
    public int Compare(UniqueAddress? x, UniqueAddress? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = Compare(x.Address, y.Address);
        return c != 0 ? c : x.Uid.CompareTo(y.Uid);
    }

    /// <inheritdoc />
    public int Compare(Member? x, Member? y) => Compare(x?.UniqueAddress, y?.UniqueAddress);
}
