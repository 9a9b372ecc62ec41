using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>Inverted dropout, active only in training mode; masks drawn from an explicit generator when given.</summary>
public sealed class Dropout : Module
{
    private readonly Generator? _generator;

    /// <summary>Drops each element with probability <paramref name="p"/>.</summary>
    public Dropout(double p, Generator? generator = null)
    {
        if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
        P = p;
        _generator = generator;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <summary>Applies dropout (identity in eval mode or when p = 0; then the input itself is returned).</summary>
    public Tensor Forward(Tensor input) =>
        Training && P > 0 ? Functional.Dropout(input, P, true, _generator) : input;
}
