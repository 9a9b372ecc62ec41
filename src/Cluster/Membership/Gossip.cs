using System.Collections.Immutable;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// The membership state nodes exchange: members (in address order), the reachability table, the vector clock
/// version, the set of nodes that have seen this version, and tombstones of removed nodes (so a stale gossip
/// cannot resurrect them). Immutable; every change returns a new gossip.
/// </summary>
public sealed class Gossip
{
    /// <summary>The gossip with nobody in it.</summary>
    public static readonly Gossip Empty = new(
        ImmutableSortedSet.Create<Member>(AddressOrdering.Instance),
        ImmutableSortedSet.Create<UniqueAddress>(AddressOrdering.Instance),
        Reachability.Empty, VectorClock.Empty,
        ImmutableSortedDictionary.Create<UniqueAddress, long>(AddressOrdering.Instance));

    /// <summary>Creates a gossip from its parts.</summary>
    public Gossip(ImmutableSortedSet<Member> members, ImmutableSortedSet<UniqueAddress> seen, Reachability reachability,
        VectorClock version, ImmutableSortedDictionary<UniqueAddress, long> tombstones)
    {
        Members = members.WithComparer(AddressOrdering.Instance);
        Seen = seen.WithComparer(AddressOrdering.Instance);
        Reachability = reachability;
        Version = version;
        Tombstones = tombstones.WithComparers(AddressOrdering.Instance);
    }

    /// <summary>Members in address order.</summary>
    public ImmutableSortedSet<Member> Members { get; }

    /// <summary>Nodes known to have seen this exact version.</summary>
    public ImmutableSortedSet<UniqueAddress> Seen { get; }

    /// <summary>Who suspects whom.</summary>
    public Reachability Reachability { get; }

    /// <summary>Version of this gossip.</summary>
    public VectorClock Version { get; }

    /// <summary>Removed nodes and when they were removed (UTC ticks of the node that removed them).</summary>
    public ImmutableSortedDictionary<UniqueAddress, long> Tombstones { get; }

    /// <summary>The vector clock entry name of a node.</summary>
    public static string ClockNode(UniqueAddress node) => node.ToString();

    /// <summary>The member record of <paramref name="node"/>, or null.</summary>
    public Member? Member(UniqueAddress node) =>
        Members.TryGetValue(Membership.Member.Joining(node), out Member? found) ? found : null;

    /// <summary>True when <paramref name="node"/> is a member.</summary>
    public bool HasMember(UniqueAddress node) => Member(node) is not null;

    /// <summary>True when <paramref name="node"/> has seen this version.</summary>
    public bool SeenBy(UniqueAddress node) => Seen.Contains(node);

    /// <summary>The gossip with <paramref name="member"/> added or replacing its earlier record.</summary>
    public Gossip WithMember(Member member) => new(Members.Remove(member).Add(member), Seen, Reachability, Version, Tombstones);

    /// <summary>The gossip with new reachability.</summary>
    public Gossip WithReachability(Reachability reachability) => new(Members, Seen, reachability, Version, Tombstones);

    /// <summary>This version stamped by <paramref name="node"/> (a change made by that node).</summary>
    public Gossip Increment(UniqueAddress node) => new(Members, Seen, Reachability, Version.Increment(ClockNode(node)), Tombstones);

    /// <summary>The gossip marked as seen by <paramref name="node"/> too.</summary>
    public Gossip MarkSeen(UniqueAddress node) => Seen.Contains(node) ? this : new(Members, Seen.Add(node), Reachability, Version, Tombstones);

    /// <summary>The gossip seen by <paramref name="node"/> alone (after that node changed it).</summary>
    public Gossip OnlySeen(UniqueAddress node) => new(Members, Seen.Clear().Add(node), Reachability, Version, Tombstones);

    /// <summary>The union of both seen sets (the versions are the same).</summary>
    public Gossip MergeSeen(Gossip other) => new(Members, Seen.Union(other.Seen), Reachability, Version, Tombstones);

    /// <summary>The gossip without vector clock entry of <paramref name="node"/>.</summary>
    public Gossip Prune(UniqueAddress node) => new(Members, Seen, Reachability, Version.Prune(ClockNode(node)), Tombstones);

    /// <summary>
    /// Removes <paramref name="node"/>: member, seen entry, reachability records and clock entry go, a tombstone stays.
    /// </summary>
    public Gossip Remove(UniqueAddress node, long removedAtTicks)
    {
        Member? member = Member(node);
        return new Gossip(member is null ? Members : Members.Remove(member), Seen.Remove(node), Reachability.Remove([node]),
            Version.Prune(ClockNode(node)), Tombstones.SetItem(node, removedAtTicks));
    }

    /// <summary>Drops tombstones older than <paramref name="olderThanTicks"/>.</summary>
    public Gossip PruneTombstones(long olderThanTicks) =>
        new(Members, Seen, Reachability, Version, Tombstones.RemoveRange(Tombstones.Where(t => t.Value < olderThanTicks).Select(t => t.Key)));

    /// <summary>
    /// Merges two concurrent gossips (Akka's rule): tombstones unite; clocks merge, minus tombstoned nodes; for each node
    /// the record with the highest status wins, and a node known to one side only is kept unless it is tombstoned or
    /// Down/Exiting (then the other side already removed it); reachability rows merge by version; seen is reset.
    /// Commutative, so every node ends with the same result.
    /// </summary>
    public Gossip Merge(Gossip other)
    {
        var tombstones = Tombstones;
        foreach (var (node, ticks) in other.Tombstones)
            if (!tombstones.TryGetValue(node, out long mine) || ticks > mine) tombstones = tombstones.SetItem(node, ticks);

        VectorClock version = Version.Merge(other.Version);
        foreach (UniqueAddress node in tombstones.Keys) version = version.Prune(ClockNode(node));

        var members = ImmutableSortedSet.CreateBuilder<Member>(AddressOrdering.Instance);
        foreach (Member mine in Members)
        {
            Member? theirs = other.Member(mine.UniqueAddress);
            if (theirs is not null) members.Add(Membership.Member.HighestPriorityOf(mine, theirs));
            else if (KeepOneSided(mine, tombstones)) members.Add(mine);
        }
        foreach (Member theirs in other.Members)
            if (!HasMember(theirs.UniqueAddress) && KeepOneSided(theirs, tombstones)) members.Add(theirs);
        // A tombstoned node never comes back, even if both sides still list it.
        foreach (UniqueAddress node in tombstones.Keys) members.Remove(Membership.Member.Joining(node));

        var allowed = members.Select(m => m.UniqueAddress).ToHashSet();
        Reachability reachability = Reachability.Merge(allowed, other.Reachability);
        return new Gossip(members.ToImmutable(), ImmutableSortedSet.Create<UniqueAddress>(AddressOrdering.Instance), reachability, version, tombstones);
    }

    private static bool KeepOneSided(Member member, ImmutableSortedDictionary<UniqueAddress, long> tombstones) =>
        !tombstones.ContainsKey(member.UniqueAddress) && member.Status is not (MemberStatus.Down or MemberStatus.Exiting);

    /// <summary>Reachability ignoring what Down members observed (their detectors no longer count).</summary>
    public Reachability ReachabilityExcludingDownedObservers =>
        Reachability.RemoveObservers(Members.Where(m => m.Status == MemberStatus.Down).Select(m => m.UniqueAddress));

    /// <inheritdoc />
    public override string ToString() =>
        $"Gossip(members [{string.Join(", ", Members)}], seen [{string.Join(", ", Seen.Select(s => s.Address))}], {Reachability}, {Version})";
}
