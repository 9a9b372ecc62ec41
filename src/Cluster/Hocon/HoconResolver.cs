namespace ActorTrain.Cluster.Hocon;

/// <summary>Resolves substitutions and concatenations in a (merged) config tree, in place.
/// A substitution is looked up from the root; if the path is not in the config it is looked up as an environment variable.</summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<string> _inProgress = new();

    private HoconResolver(HoconObject root, IReadOnlyDictionary<string, string> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>Returns a resolved deep copy of <paramref name="root"/>.</summary>
    public static HoconObject Resolve(HoconObject root, IReadOnlyDictionary<string, string> environment)
    {
        var copy = root.CloneObject();
        new HoconResolver(copy, environment).ResolveObject(copy, null);
        return copy;
    }

    private void ResolveObject(HoconObject obj, HoconPath? path)
    {
        foreach (var key in obj.Keys.ToArray())
        {
            if (!obj.TryGetValue(key, out _)) continue;
            var fieldPath = HoconPath.Join(path, key);
            var value = ResolveField(obj, key, fieldPath);
            switch (value)
            {
                case HoconObject child: ResolveObject(child, fieldPath); break;
                case HoconArray array: ResolveArray(array, fieldPath); break;
            }
        }
    }

    private void ResolveArray(HoconArray array, HoconPath path)
    {
        for (int i = 0; i < array.Elements.Count; i++)
        {
            var elementPath = path.Append($"[{i}]");
            var resolved = ResolveDeep(array.Elements[i], elementPath);
            if (resolved is null) { array.RemoveAt(i); i--; }
            else array.ReplaceAt(i, resolved);
        }
    }

    /// <summary>Resolves the field's own node (not its children) in place; null when an optional substitution removed it.</summary>
    private HoconNode? ResolveField(HoconObject parent, string key, HoconPath fieldPath)
    {
        if (!parent.TryGetValue(key, out var value)) return null;
        if (value is not (HoconSubstitution or HoconConcatenation)) return value;

        string pathText = fieldPath.ToString();
        if (_inProgress.Contains(pathText))
        {
            throw new ConfigException(pathText,
                $"substitution cycle: {string.Join(" -> ", _inProgress.SkipWhile(p => p != pathText).Append(pathText))}", value.Origin);
        }
        _inProgress.Add(pathText);
        try
        {
            var resolved = ResolveDeep(value, fieldPath);
            if (resolved is null) parent.Remove(key);
            else parent.Set(key, resolved);
            return resolved;
        }
        finally
        {
            _inProgress.RemoveAt(_inProgress.Count - 1);
        }
    }

    /// <summary>Fully resolves <paramref name="node"/> (objects and arrays in place); null for a missing optional value.</summary>
    private HoconNode? ResolveDeep(HoconNode node, HoconPath path)
    {
        switch (node)
        {
            case HoconScalar:
                return node;
            case HoconObject obj:
                ResolveObject(obj, path);
                return obj;
            case HoconArray array:
                ResolveArray(array, path);
                return array;
            case HoconSubstitution substitution:
                return LookUp(substitution, path);
            case HoconConcatenation concatenation:
                return Concatenate(concatenation, path);
            default:
                throw new InvalidOperationException($"Unknown HOCON node {node.GetType().Name}");
        }
    }

    private HoconNode? LookUp(HoconSubstitution substitution, HoconPath referencingPath)
    {
        if (substitution.IsSelfReference)
        {
            if (substitution.Optional) return null;
            throw new ConfigException(referencingPath.ToString(),
                $"{substitution} refers to the key itself but no earlier value of it exists", substitution.Origin);
        }

        HoconNode current = _root;
        HoconPath? walked = null;
        bool found = true;
        foreach (var segment in substitution.Path.Segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out _)) { found = false; break; }
            walked = HoconPath.Join(walked, segment);
            var child = ResolveField(obj, segment, walked);
            if (child is null) { found = false; break; }
            current = child;
        }

        if (found && !(current is HoconScalar { Kind: HoconScalarKind.Null } && substitution.Optional))
        {
            _inProgress.Add(substitution.Path.ToString());
            try { return ResolveDeep(current, substitution.Path)?.DeepClone(); }
            finally { _inProgress.RemoveAt(_inProgress.Count - 1); }
        }

        string variable = string.Join('.', substitution.Path.Segments);
        if (_environment.TryGetValue(variable, out var envValue))
            return HoconScalar.String(envValue, new HoconOrigin($"environment variable {variable}", 0, 0));
        if (substitution.Otherwise is not null) return ResolveDeep(substitution.Otherwise.DeepClone(), referencingPath);
        if (substitution.Optional) return null;
        throw new ConfigException(referencingPath.ToString(),
            $"cannot resolve {substitution}: no such key in the config and no environment variable {variable}", substitution.Origin);
    }

    private HoconNode? Concatenate(HoconConcatenation concatenation, HoconPath path)
    {
        var parts = new List<(HoconNode Node, bool Whitespace)>();
        for (int i = 0; i < concatenation.Parts.Count; i++)
        {
            var resolved = ResolveDeep(concatenation.Parts[i].DeepClone(), path);
            if (resolved is not null) parts.Add((resolved, concatenation.WhitespaceParts.Contains(i)));
        }
        // Whitespace left at either end after dropping missing optional parts is not part of the value.
        while (parts.Count > 0 && parts[0].Whitespace) parts.RemoveAt(0);
        while (parts.Count > 0 && parts[^1].Whitespace) parts.RemoveAt(parts.Count - 1);
        if (parts.Count == 0) return null;
        if (parts.Count == 1) return parts[0].Node;

        var values = parts.Where(p => !p.Whitespace).Select(p => p.Node).ToList();
        if (values.All(v => v is HoconObject))
        {
            var merged = new HoconObject(values[0].Origin);
            foreach (var obj in values.Cast<HoconObject>()) HoconMerge.MergeInto(merged, obj.CloneObject());
            return merged;
        }
        if (values.All(v => v is HoconArray))
            return new HoconArray(values.SelectMany(v => ((HoconArray)v).Elements), values[0].Origin);
        if (parts.All(p => p.Node is HoconScalar))
            return HoconScalar.String(string.Concat(parts.Select(p => ((HoconScalar)p.Node).Text)), concatenation.Origin);

        var kinds = string.Join(" with ", values.Select(v => $"{v.KindName} (at {v.Origin})").Distinct());
        throw new ConfigException(path.ToString(), $"cannot concatenate {kinds}; objects concatenate only with objects and arrays only with arrays", concatenation.Origin);
    }
}
