using System.Collections.Immutable;
using ActorTrain.Cluster.Remoting;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// Akka's reachability table: per observer, the subjects it currently observes as unreachable (or just became
/// reachable again), with one version per observer. Only an observer changes its own row, so merging two tables
/// takes, per observer, the row with the higher version — deterministic and conflict-free.
/// </summary>
public sealed class Reachability
{
    /// <summary>The table with no observations (everyone reachable).</summary>
    public static readonly Reachability Empty = new(
        ImmutableSortedDictionary.Create<UniqueAddress, ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>>(AddressOrdering.Instance),
        ImmutableSortedDictionary.Create<UniqueAddress, long>(AddressOrdering.Instance));

    private static readonly ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord> EmptyRow =
        ImmutableSortedDictionary.Create<UniqueAddress, ReachabilityRecord>(AddressOrdering.Instance);

    private Reachability(
        ImmutableSortedDictionary<UniqueAddress, ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>> rows,
        ImmutableSortedDictionary<UniqueAddress, long> versions)
    {
        Rows = rows;
        ObserverVersions = versions;
    }

    /// <summary>Records by observer, then subject.</summary>
    public ImmutableSortedDictionary<UniqueAddress, ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>> Rows { get; }

    /// <summary>Row version per observer.</summary>
    public ImmutableSortedDictionary<UniqueAddress, long> ObserverVersions { get; }

    /// <summary>Every record, ordered by observer then subject.</summary>
    public IEnumerable<ReachabilityRecord> Records => Rows.Values.SelectMany(r => r.Values);

    /// <summary>Rebuilds a table from its wire form.</summary>
    public static Reachability FromWire(IEnumerable<ReachabilityRecord> records, IEnumerable<KeyValuePair<UniqueAddress, long>> versions)
    {
        var rows = records.GroupBy(r => r.Observer).ToImmutableSortedDictionary(
            g => g.Key, g => g.ToImmutableSortedDictionary(r => r.Subject, r => r, AddressOrdering.Instance), AddressOrdering.Instance);
        return new Reachability(rows, versions.ToImmutableSortedDictionary(AddressOrdering.Instance));
    }

    /// <summary>True when no observer suspects anyone.</summary>
    public bool IsAllReachable => Rows.Values.All(row => row.Values.All(r => r.Status == ReachabilityStatus.Reachable));

    /// <summary>Nodes that at least one observer sees as unreachable.</summary>
    public ImmutableSortedSet<UniqueAddress> AllUnreachable =>
        Records.Where(r => r.Status == ReachabilityStatus.Unreachable).Select(r => r.Subject).ToImmutableSortedSet(AddressOrdering.Instance);

    /// <summary>True when no observer sees <paramref name="node"/> as unreachable.</summary>
    public bool IsReachable(UniqueAddress node) =>
        !Rows.Values.Any(row => row.TryGetValue(node, out var r) && r.Status == ReachabilityStatus.Unreachable);

    /// <summary>Observers that currently see <paramref name="subject"/> as unreachable.</summary>
    public IEnumerable<UniqueAddress> ObserversOf(UniqueAddress subject) =>
        Rows.Where(row => row.Value.TryGetValue(subject, out var r) && r.Status == ReachabilityStatus.Unreachable).Select(row => row.Key);

    /// <summary><paramref name="observer"/> now sees <paramref name="subject"/> as unreachable.</summary>
    public Reachability Unreachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, subject, ReachabilityStatus.Unreachable);

    /// <summary><paramref name="observer"/> now sees <paramref name="subject"/> as reachable again.</summary>
    public Reachability Reachable(UniqueAddress observer, UniqueAddress subject) => Change(observer, subject, ReachabilityStatus.Reachable);

    private Reachability Change(UniqueAddress observer, UniqueAddress subject, ReachabilityStatus status)
    {
        long version = ObserverVersions.GetValueOrDefault(observer) + 1;
        var versions = ObserverVersions.SetItem(observer, version);
        var record = new ReachabilityRecord(observer, subject, status, version);
        if (!Rows.TryGetValue(observer, out var row))
        {
            return status == ReachabilityStatus.Reachable ? this : new Reachability(Rows.SetItem(observer, EmptyRow.Add(subject, record)), versions);
        }
        if (row.TryGetValue(subject, out var old) && old.Status == status) return this;
        if (!row.ContainsKey(subject) && status == ReachabilityStatus.Reachable) return this;
        // When the whole row turns reachable it is pruned (the version bump still tells others it changed).
        if (status == ReachabilityStatus.Reachable && row.Values.All(r => r.Status == ReachabilityStatus.Reachable || r.Subject.Equals(subject)))
            return new Reachability(Rows.Remove(observer), versions);
        return new Reachability(Rows.SetItem(observer, row.SetItem(subject, record)), versions);
    }

    /// <summary>
    /// Merges with <paramref name="other"/>: for each observer in <paramref name="allowed"/> the row with the higher version
    /// wins; records about nodes outside <paramref name="allowed"/> are dropped.
    /// </summary>
    public Reachability Merge(IReadOnlySet<UniqueAddress> allowed, Reachability other)
    {
        var rows = Rows.Clear();
        var versions = ObserverVersions.Clear();
        foreach (UniqueAddress observer in allowed)
        {
            long v1 = ObserverVersions.GetValueOrDefault(observer);
            long v2 = other.ObserverVersions.GetValueOrDefault(observer);
            Rows.TryGetValue(observer, out var row1);
            other.Rows.TryGetValue(observer, out var row2);
            var winner = v1 > v2 ? row1 : v1 < v2 ? row2 : UnionOnTie(row1, row2);
            if (winner is not null)
            {
                var kept = winner.Where(kv => allowed.Contains(kv.Key)).ToImmutableSortedDictionary(AddressOrdering.Instance);
                if (kept.Count > 0) rows = rows.Add(observer, kept);
            }
            long version = Math.Max(v1, v2);
            if (version > 0) versions = versions.Add(observer, version);
        }
        return new Reachability(rows, versions);
    }

    /// <summary>
    /// Equal versions normally mean equal rows (only the observer writes its row); should they differ anyway, the union with
    /// Unreachable winning keeps the merge commutative.
    /// </summary>
    private static ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>? UnionOnTie(
        ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>? row1, ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>? row2)
    {
        if (row1 is null || row2 is null) return row1 ?? row2;
        var union = row1;
        foreach (var (subject, record) in row2)
        {
            if (!union.TryGetValue(subject, out var mine)
                || (record.Status, record.Version).CompareTo((mine.Status, mine.Version)) > 0)
                union = union.SetItem(subject, record);
        }
        return union;
    }

    /// <summary>The table without any record by or about <paramref name="nodes"/>.</summary>
    public Reachability Remove(IEnumerable<UniqueAddress> nodes)
    {
        var set = nodes.ToHashSet();
        if (set.Count == 0) return this;
        var rows = Rows.Where(kv => !set.Contains(kv.Key))
            .Select(kv => new KeyValuePair<UniqueAddress, ImmutableSortedDictionary<UniqueAddress, ReachabilityRecord>>(kv.Key, kv.Value.RemoveRange(set)))
            .Where(kv => kv.Value.Count > 0)
            .ToImmutableSortedDictionary(AddressOrdering.Instance);
        return new Reachability(rows, ObserverVersions.RemoveRange(set));
    }

    /// <summary>The table without the observations made by <paramref name="observers"/> (e.g. downed nodes).</summary>
    public Reachability RemoveObservers(IEnumerable<UniqueAddress> observers)
    {
        var set = observers.ToHashSet();
        return set.Count == 0 ? this : new Reachability(Rows.RemoveRange(set), ObserverVersions.RemoveRange(set));
    }

    /// <inheritdoc />
    public override string ToString() =>
        "Reachability(" + string.Join(", ", Records.Select(r => $"{r.Observer.Address} -> {r.Subject.Address}: {r.Status} v{r.Version}")) + ")";
}
