namespace ActorTrain.Cluster.Hocon;

/// <summary>The two ways HOCON values combine: a later definition in the same document merges into the earlier one,
/// and a config falls back to another for the keys it lacks.</summary>
internal static class HoconMerge
{
    /// <summary>Merges every field of <paramref name="later"/> into <paramref name="target"/> as if written after it.</summary>
    public static void MergeInto(HoconObject target, HoconObject later)
    {
        foreach (var (key, value) in later.Fields) MergeField(target, key, value);
    }

    /// <summary>Sets <paramref name="key"/>: an object merges into an earlier object; anything else replaces the earlier value.</summary>
    public static void MergeField(HoconObject target, string key, HoconNode value)
    {
        if (value is HoconObject laterObject && target.TryGetValue(key, out var existing) && existing is HoconObject earlierObject)
        {
            MergeInto(earlierObject, laterObject);
            return;
        }
        target.Set(key, value);
    }

    /// <summary>A new object holding <paramref name="primary"/> with the keys it lacks taken from <paramref name="fallback"/>
    /// (objects merge recursively; a self-referential substitution in <paramref name="primary"/> takes the fallback's value).
    /// Keys appear in the fallback's order, then keys only the primary has.</summary>
    public static HoconObject WithFallback(HoconObject primary, HoconObject fallback, HoconPath? path)
    {
        var result = new HoconObject(primary.Origin);
        foreach (var (key, fallbackValue) in fallback.Fields)
        {
            var fieldPath = HoconPath.Join(path, key);
            if (primary.TryGetValue(key, out var primaryValue))
                result.Set(key, Combine(primaryValue, fallbackValue, fieldPath));
            else
                result.Set(key, fallbackValue.DeepClone());
        }
        foreach (var (key, primaryValue) in primary.Fields)
        {
            if (!fallback.TryGetValue(key, out _)) result.Set(key, primaryValue.DeepClone());
        }
        return result;
    }

    private static HoconNode Combine(HoconNode primary, HoconNode fallback, HoconPath path)
    {
        if (primary is HoconObject p && fallback is HoconObject f) return WithFallback(p, f, path);
        if (primary is HoconSubstitution { Optional: true, IsSelfReference: false } optional) return optional.WithOtherwise(fallback.DeepClone());
        return FillSelfReferences(primary, path, fallback) ?? primary.DeepClone();
    }

    /// <summary>Replaces self-references to <paramref name="path"/> in <paramref name="node"/> by <paramref name="earlier"/>;
    /// null when <paramref name="node"/> holds none.</summary>
    public static HoconNode? FillSelfReferences(HoconNode node, HoconPath path, HoconNode earlier)
    {
        switch (node)
        {
            case HoconSubstitution { IsSelfReference: true } s when s.Path.Equals(path):
                return earlier.DeepClone();
            case HoconConcatenation c when c.Parts.Any(p => p is HoconSubstitution { IsSelfReference: true } s && s.Path.Equals(path)):
                var parts = c.Parts.Select(p => p is HoconSubstitution { IsSelfReference: true } s && s.Path.Equals(path) ? earlier.DeepClone() : p.DeepClone());
                var copy = new HoconConcatenation(parts, c.Origin);
                copy.WhitespaceParts.UnionWith(c.WhitespaceParts);
                return copy;
            default:
                return null;
        }
    }
}
