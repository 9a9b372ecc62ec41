using System.Collections.Immutable;
using ActorTrain.Cluster.Kernel;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// One node's membership record. Immutable; equality is by <see cref="UniqueAddress"/> only, so a member keeps its
/// identity across status changes (as in Akka).
/// </summary>
public sealed class Member : IEquatable<Member>
{
    /// <summary>Up number of a member that has not been moved Up yet.</summary>
    public const int NotUp = int.MaxValue;

    private Member(UniqueAddress uniqueAddress, MemberStatus status, ImmutableSortedSet<string> roles, int upNumber)
    {
        UniqueAddress = uniqueAddress;
        Status = status;
        Roles = roles;
        UpNumber = upNumber;
    }

    /// <summary>A new member in <see cref="MemberStatus.Joining"/>.</summary>
    public static Member Joining(UniqueAddress node, IEnumerable<string>? roles = null) =>
        new(node, MemberStatus.Joining, (roles ?? []).ToImmutableSortedSet(StringComparer.Ordinal), NotUp);

    /// <summary>Rebuilds a member from its wire form (no transition check: the sender's gossip is authoritative).</summary>
    public static Member FromWire(UniqueAddress node, MemberStatus status, IEnumerable<string> roles, int upNumber) =>
        new(node, status, roles.ToImmutableSortedSet(StringComparer.Ordinal), upNumber);

    /// <summary>Address and uid of the node.</summary>
    public UniqueAddress UniqueAddress { get; }

    /// <summary>Network address of the node.</summary>
    public Address Address => UniqueAddress.Address;

    /// <summary>Current status.</summary>
    public MemberStatus Status { get; }

    /// <summary>Roles the node declared when joining (<c>actortrain.cluster.roles</c>).</summary>
    public ImmutableSortedSet<string> Roles { get; }

    /// <summary>Order in which members became Up (lower is older); <see cref="NotUp"/> before that.</summary>
    public int UpNumber { get; }

    /// <summary>The same member in <paramref name="status"/>.</summary>
    /// <exception cref="InvalidOperationException">The transition is not one Akka.Cluster allows.</exception>
    public Member WithStatus(MemberStatus status)
    {
        if (status == Status) return this;
        if (!MemberStatusTransitions.IsAllowed(Status, status))
            throw new InvalidOperationException($"member {UniqueAddress} cannot move from {Status} to {status}");
        return new Member(UniqueAddress, status, Roles, UpNumber);
    }

    /// <summary>The member moved Up with <paramref name="upNumber"/>.</summary>
    public Member WithUp(int upNumber) => new(UniqueAddress, WithStatus(MemberStatus.Up).Status, Roles, upNumber);

    /// <summary>True when this member became Up before <paramref name="other"/> (address order breaks ties).</summary>
    public bool IsOlderThan(Member other) =>
        UpNumber == other.UpNumber ? AddressOrdering.Instance.Compare(this, other) < 0 : UpNumber < other.UpNumber;

    /// <summary>Of two records of the same node, the one further along its life (the older one on a tie).</summary>
    public static Member HighestPriorityOf(Member a, Member b)
    {
        if (a.Status == b.Status) return a.IsOlderThan(b) ? a : b;
        return MemberStatusTransitions.Precedence(a.Status) > MemberStatusTransitions.Precedence(b.Status) ? a : b;
    }

    /// <inheritdoc />
    public bool Equals(Member? other) => other is not null && UniqueAddress.Equals(other.UniqueAddress);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Member other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => UniqueAddress.GetHashCode();

    /// <inheritdoc />
    public override string ToString() =>
        $"Member({Address}, {Status}{(Roles.IsEmpty ? "" : ", roles " + string.Join(',', Roles))}{(UpNumber == NotUp ? "" : ", up#" + UpNumber)})";
}
