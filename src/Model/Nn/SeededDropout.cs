using TorchSharp;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Inverted dropout whose masks come from an explicit <see cref="Generator"/>. TorchSharp's <c>nn.Dropout</c> draws from
/// the process-wide generator, which ranks sharing a process (and a resumed run) cannot reseed independently; a rank
/// reseeds this one per micro-batch so a resumed run draws the same masks.
/// </summary>
public sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly Generator? _generator;

    /// <summary>Drops each element with probability <paramref name="p"/>.</summary>
    public SeededDropout(double p, Generator? generator) : base(nameof(SeededDropout))
    {
        if (p is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        P = p;
        _generator = generator;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <summary>Identity in eval mode or when p = 0; otherwise input · mask / (1 − p).</summary>
    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0) return input;
        var keep = empty_like(input).bernoulli_(1 - P, _generator);
        return input * keep / (1 - P);
    }
}
