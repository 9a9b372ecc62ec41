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

    /// <summary>Norms keyed by layer, in registration order.</summary>
    public static Dictionary<string, double> Compute(IReadOnlyList<FlatParameterEntry> entries, ReadOnlySpan<float> gradients)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        // Flat order is reverse registration order; walk it backwards so the dictionary lists layers input to output.
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var e = entries[i];
            var layer = LayerOf(e.Name);
            var squares = GradientClipper.SumOfSquares(gradients.Slice(checked((int)e.Offset), checked((int)e.Length)));
            sums[layer] = sums.GetValueOrDefault(layer) + squares;
        }
        foreach (var key in sums.Keys.ToArray()) sums[key] = Math.Sqrt(sums[key]);
        return sums;
    }
}
