using System.Collections.Immutable;

namespace ActorTrain.Cluster.Membership;

/// <summary>
/// Immutable vector clock over node names (a node's <c>UniqueAddress</c> text), versioning the gossip: each node
/// that changes the membership increments its own entry; merge takes entry-wise maxima.
/// </summary>
public sealed class VectorClock : IEquatable<VectorClock>
{
    /// <summary>The clock with no entries.</summary>
    public static readonly VectorClock Empty = new(ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal));

    private VectorClock(ImmutableSortedDictionary<string, long> versions) => Versions = versions;

    /// <summary>Entries by node name; absent entries count as 0.</summary>
    public ImmutableSortedDictionary<string, long> Versions { get; }

    /// <summary>Builds a clock from entries (zero entries are dropped).</summary>
    public static VectorClock From(IEnumerable<KeyValuePair<string, long>> entries) =>
        new(entries.Where(e => e.Value > 0).ToImmutableSortedDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));

    /// <summary>The clock with <paramref name="node"/>'s entry incremented.</summary>
    public VectorClock Increment(string node) =>
        new(Versions.SetItem(node, Versions.GetValueOrDefault(node) + 1));

    /// <summary>Entry-wise maximum of both clocks.</summary>
    public VectorClock Merge(VectorClock other)
    {
        var builder = Versions.ToBuilder();
        foreach (var (node, version) in other.Versions)
            if (version > builder.GetValueOrDefault(node)) builder[node] = version;
        return new VectorClock(builder.ToImmutable());
    }

    /// <summary>The clock without <paramref name="node"/>'s entry (after that node was removed).</summary>
    public VectorClock Prune(string node) => Versions.ContainsKey(node) ? new VectorClock(Versions.Remove(node)) : this;

    /// <summary>How this clock relates to <paramref name="other"/>.</summary>
    public VectorClockOrdering CompareTo(VectorClock other)
    {
        bool someLess = false, someGreater = false;
        foreach (var (node, version) in Versions)
        {
            long theirs = other.Versions.GetValueOrDefault(node);
            if (version < theirs) someLess = true;
            else if (version > theirs) someGreater = true;
        }
        foreach (var (node, theirs) in other.Versions)
            if (!Versions.ContainsKey(node) && theirs > 0) someLess = true;
        return (someLess, someGreater) switch
        {
            (false, false) => VectorClockOrdering.Same,
            (true, false) => VectorClockOrdering.Before,
            (false, true) => VectorClockOrdering.After,
            _ => VectorClockOrdering.Concurrent,
        };
    }

    /// <inheritdoc />
    public bool Equals(VectorClock? other) => other is not null && CompareTo(other) == VectorClockOrdering.Same;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is VectorClock other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (node, version) in Versions)
        {
            hash.Add(node);
            hash.Add(version);
        }
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "VectorClock(" + string.Join(", ", Versions.Select(v => $"{v.Key} -> {v.Value}")) + ")";
}
