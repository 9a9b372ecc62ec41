using ActorTrain.Model.Nn;
using ActorTrain.Model.Optim;

namespace ActorTrain.Actors.Training;

/// <summary>L2 norms of the gradient per layer ("tok", "pos", "blocks.0", …, "ln", "head"): where gradients vanish or explode.</summary>
public static class LayerGradientNorms
{
    /// <summary>The layer a parameter belongs to: "blocks.N" for block parameters, else the first name component.</summary>
    public static string LayerOf(string parameterName)
    {
        var parts = parameterName.Split('.');
        return parts.Length >= 3 && parts[0] == "blocks" ? parts[0] + "." + parts[1] : parts[0];
    }

    /// <summary>The layers of <paramref name="entries"/>, input to output (the order of <see cref="PartialSums"/>).</summary>
    public static string[] Layers(IReadOnlyList<FlatParameterEntry> entries)
    {
        var layers = new List<string>();
        // Flat order is reverse registration order; walk it backwards so layers are listed input to output.
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var layer = LayerOf(entries[i].Name);
            if (!layers.Contains(layer)) layers.Add(layer);
        }
        return [.. layers];
    }

    /// <summary>
    /// Σ g² per layer (in the order of <paramref name="layers"/>, from <see cref="Layers"/>) over the parts of
    /// <paramref name="gradients"/> inside <paramref name="ranges"/>: with each rank summing its own shard, the sum over
    /// ranks is the whole layer's.
    /// </summary>
    public static double[] PartialSums(IReadOnlyList<FlatParameterEntry> entries, string[] layers, ReadOnlySpan<float> gradients,
        IReadOnlyList<(int Offset, int Length)> ranges)
    {
        var sums = new double[layers.Length];
        foreach (var e in entries)
        {
            var slot = Array.IndexOf(layers, LayerOf(e.Name));
            long start = e.Offset, end = e.Offset + e.Length;
            foreach (var (offset, length) in ranges)
            {
                long from = Math.Max(start, offset), to = Math.Min(end, (long)offset + length);
                if (from < to) sums[slot] += GradientClipper.SumOfSquares(gradients.Slice((int)from, (int)(to - from)));
            }
        }
        return sums;
    }

    /// <summary>Norms keyed by layer from per-layer sums of squares, each norm multiplied by <paramref name="scale"/>.</summary>
    public static Dictionary<string, double> FromSums(IReadOnlyList<string> layers, ReadOnlySpan<double> sums, double scale)
    {
        var norms = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++) norms[layers[i]] = Math.Sqrt(sums[i]) * scale;
        return norms;
    }
}
