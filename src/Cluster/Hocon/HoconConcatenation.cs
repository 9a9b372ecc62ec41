namespace ActorTrain.Cluster.Hocon;

/// <summary>Values written next to each other (<c>${base} { x = 1 }</c>, <c>"a"${b}</c>, <c>${list} [3]</c>), joined on resolution:
/// strings concatenate (keeping the whitespace between them), arrays append, objects merge.</summary>
public sealed class HoconConcatenation : HoconNode
{
    /// <summary>Creates a concatenation of <paramref name="parts"/> (whitespace between simple values is a string part).</summary>
    public HoconConcatenation(IEnumerable<HoconNode> parts, HoconOrigin origin) : base(origin) => Parts = parts.ToList();

    /// <summary>The parts in order; whitespace between values is kept as string parts flagged in <see cref="WhitespaceParts"/>.</summary>
    public IReadOnlyList<HoconNode> Parts { get; }

    /// <summary>Indexes of the parts that are only the whitespace between two values.</summary>
    public HashSet<int> WhitespaceParts { get; } = new();

    /// <inheritdoc />
    public override bool IsResolved => false;

    /// <inheritdoc />
    public override string KindName => "concatenation";

    /// <inheritdoc />
    public override HoconNode DeepClone()
    {
        var copy = new HoconConcatenation(Parts.Select(p => p.DeepClone()), Origin);
        copy.WhitespaceParts.UnionWith(WhitespaceParts);
        return copy;
    }
}
