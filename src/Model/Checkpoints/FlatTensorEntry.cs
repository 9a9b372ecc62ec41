namespace ActorTrain.Model.Checkpoints;

/// <summary>
/// Where one named float32 tensor lives in a flat parameter (or gradient, or optimizer-state) buffer.
/// </summary>
/// <param name="Name">The module path, e.g. <c>blocks.0.attn.qkv.weight</c>; written to files exactly as given.</param>
/// <param name="Offset">First element in the flat buffer.</param>
/// <param name="Shape">Dimensions; their product is <see cref="Length"/>.</param>
public sealed record FlatTensorEntry(string Name, int Offset, long[] Shape)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public int Length
    {
        get
        {
            long n = 1;
            foreach (var d in Shape)
            {
                n = checked(n * d);
            }
            return checked((int)n);
        }
    }

    /// <summary>Checks that names are unique and every entry lies inside a buffer of <paramref name="bufferLength"/>.</summary>
    /// <exception cref="ArgumentException">Names the offending entry.</exception>
    public static void Validate(IReadOnlyList<FlatTensorEntry> entries, int bufferLength)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (string.IsNullOrEmpty(e.Name))
            {
                throw new ArgumentException("A tensor entry has an empty name.", nameof(entries));
            }
            if (!names.Add(e.Name))
            {
                throw new ArgumentException($"Tensor '{e.Name}' appears twice in the entries.", nameof(entries));
            }
            if (e.Shape.Any(d => d < 0))
            {
                throw new ArgumentException($"Tensor '{e.Name}' has a negative dimension in {SafeTensorsDTypes.FormatShape(e.Shape)}.", nameof(entries));
            }
            if (e.Offset < 0 || (long)e.Offset + e.Length > bufferLength)
            {
                throw new ArgumentException(
                    $"Tensor '{e.Name}' occupies [{e.Offset}, +{e.Length}) but the flat buffer has {bufferLength} elements.", nameof(entries));
            }
        }
    }
}
