namespace ActorTrain.Cluster.Hocon;

/// <summary>A HOCON object: keys in the order they were first defined, each with a value.</summary>
public sealed class HoconObject : HoconNode
{
    private readonly Dictionary<string, HoconNode> _fields = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();

    /// <summary>Creates an empty object.</summary>
    public HoconObject(HoconOrigin origin) : base(origin)
    {
    }

    /// <summary>Keys in definition order.</summary>
    public IReadOnlyList<string> Keys => _order;

    /// <summary>Number of fields.</summary>
    public int Count => _order.Count;

    /// <summary>The value of <paramref name="key"/> (one path segment, not a dotted path).</summary>
    public bool TryGetValue(string key, out HoconNode value) => _fields.TryGetValue(key, out value!);

    /// <summary>Fields in definition order.</summary>
    public IEnumerable<KeyValuePair<string, HoconNode>> Fields => _order.Select(k => new KeyValuePair<string, HoconNode>(k, _fields[k]));

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, replacing any earlier value (no merging).</summary>
    public void Set(string key, HoconNode value)
    {
        if (!_fields.ContainsKey(key)) _order.Add(key);
        _fields[key] = value;
    }

    /// <summary>Removes <paramref name="key"/> if present.</summary>
    public void Remove(string key)
    {
        if (_fields.Remove(key)) _order.Remove(key);
    }

    /// <inheritdoc />
    public override bool IsResolved => _fields.Values.All(v => v.IsResolved);

    /// <inheritdoc />
    public override string KindName => "object";

    /// <inheritdoc />
    public override HoconNode DeepClone() => CloneObject();

    /// <summary>A deep copy typed as an object.</summary>
    public HoconObject CloneObject()
    {
        var copy = new HoconObject(Origin);
        foreach (var key in _order) copy.Set(key, _fields[key].DeepClone());
        return copy;
    }
}
