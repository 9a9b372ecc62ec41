namespace ActorTrain.Cluster.Hocon;

/// <summary>A HOCON array.</summary>
public sealed class HoconArray : HoconNode
{
    private readonly List<HoconNode> _elements;

    /// <summary>Creates an array holding <paramref name="elements"/>.</summary>
    public HoconArray(IEnumerable<HoconNode> elements, HoconOrigin origin) : base(origin) => _elements = elements.ToList();

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<HoconNode> Elements => _elements;

    internal void ReplaceAt(int index, HoconNode node) => _elements[index] = node;

    internal void RemoveAt(int index) => _elements.RemoveAt(index);

    /// <inheritdoc />
    public override bool IsResolved => _elements.All(e => e.IsResolved);

    /// <inheritdoc />
    public override string KindName => "array";

    /// <inheritdoc />
    public override HoconNode DeepClone() => new HoconArray(_elements.Select(e => e.DeepClone()), Origin);
}
