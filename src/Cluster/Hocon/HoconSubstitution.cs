namespace ActorTrain.Cluster.Hocon;

/// <summary>An unresolved <c>${path}</c> or <c>${?path}</c>.</summary>
public sealed class HoconSubstitution : HoconNode
{
    /// <summary>Creates a substitution of <paramref name="path"/>.</summary>
    public HoconSubstitution(HoconPath path, bool optional, HoconOrigin origin, bool isSelfReference = false, HoconNode? otherwise = null)
        : base(origin)
    {
        Path = path;
        Optional = optional;
        IsSelfReference = isSelfReference;
        Otherwise = otherwise;
    }

    /// <summary>For an optional substitution that is a field's whole value: the value the field had before
    /// (<c>secret = "", secret = ${?SECRET}</c> keeps "" when SECRET is undefined).</summary>
    public HoconNode? Otherwise { get; }

    /// <summary>This substitution with <see cref="Otherwise"/> set to <paramref name="earlier"/>.</summary>
    public HoconSubstitution WithOtherwise(HoconNode earlier) =>
        new(Path, Optional, Origin, IsSelfReference, Otherwise is HoconSubstitution { Optional: true } inner ? inner.WithOtherwise(earlier) : Otherwise ?? earlier);

    /// <summary>The path looked up from the config root (then as an environment variable).</summary>
    public HoconPath Path { get; }

    /// <summary>True for <c>${?path}</c>: a missing value is dropped instead of being an error.</summary>
    public bool Optional { get; }

    /// <summary>True when the substitution refers to the field it is assigned to (<c>a = ${a} [x]</c>, <c>a += x</c>) and
    /// no earlier value existed in the same document: it then refers to the fallback's value.</summary>
    public bool IsSelfReference { get; }

    /// <inheritdoc />
    public override bool IsResolved => false;

    /// <inheritdoc />
    public override string KindName => "substitution";

    /// <inheritdoc />
    public override HoconNode DeepClone() => Otherwise is null ? this : new HoconSubstitution(Path, Optional, Origin, IsSelfReference, Otherwise.DeepClone());

    /// <summary>"${path}" or "${?path}".</summary>
    public override string ToString() => Optional ? $"${{?{Path}}}" : $"${{{Path}}}";
}
