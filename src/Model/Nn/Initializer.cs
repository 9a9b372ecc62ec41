using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ActorTrain.Model.Nn;

/// <summary>
/// Fills a model's weights by an <see cref="InitScheme"/>, drawing every value from one explicit <see cref="Generator"/>
/// so a seed fixes the model. Draws go through <c>Tensor.normal_</c>/<c>uniform_</c> with the generator: TorchSharp 0.107's
/// <c>nn.init.normal_</c>/<c>uniform_</c> ignore their generator argument (two calls with <c>new Generator(7)</c> give
/// different values) and its <c>xavier_*_</c>/<c>kaiming_*_</c> take none, so the Xavier and Kaiming bounds are computed
/// here from <c>nn.init.CalculateFanInAndFanOut</c> and <c>nn.init.calculate_gain</c> — as PyTorch's own init functions do
/// before they call <c>uniform_(-b, b)</c>/<c>normal_(0, σ)</c>.
/// </summary>
public static class Initializer
{
    /// <summary>Default standard deviation of the GPT-2 normal initialisation (actortrain.model.init-std).</summary>
    public const double Gpt2Std = 0.02;

    /// <summary>Fills every Linear, Embedding and LayerNorm of <paramref name="module"/>, in module order. Every
    /// N(0, σ) draw of the GPT-2 scheme — its Linear weights, and the embeddings of every scheme but
    /// <see cref="InitScheme.PyTorchDefault"/> — uses σ = <paramref name="std"/>.</summary>
    public static void Apply(nn.Module module, InitScheme scheme, Generator generator, double std = Gpt2Std)
    {
        if (!(std > 0) || double.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "the initialisation standard deviation must be positive and finite");
        using var _ = no_grad();
        foreach (var (name, m) in module.named_modules())
        {
            // LoRA adapters are initialised by LoraLinear.ResetAdapter; skipping them keeps the base's draws as without LoRA.
            if (name.Contains(".lora_", StringComparison.Ordinal) || name.StartsWith("lora_", StringComparison.Ordinal)) continue;
            switch (m)
            {
                case LoraLinear adapted:
                    InitLinear(adapted.Weight, adapted.Bias, scheme, generator, std);
                    break;
                case Linear linear:
                    InitLinear(linear.weight!, linear.bias, scheme, generator, std);
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, scheme == InitScheme.PyTorchDefault ? 1.0 : std, generator);
                    break;
                case LayerNorm norm:
                    nn.init.ones_(norm.weight!);
                    nn.init.zeros_(norm.bias!);
                    break;
            }
        }
    }

    private static void InitLinear(Parameter weight, Parameter? linearBias, InitScheme scheme, Generator generator, double std)
    {
        var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(weight);
        var relu = nn.init.calculate_gain(nn.init.NonlinearityType.ReLU);
        switch (scheme)
        {
            case InitScheme.Gpt2Normal: weight.normal_(0, std, generator); break;
            case InitScheme.XavierUniform: weight.uniform_(-Math.Sqrt(6.0 / (fanIn + fanOut)), Math.Sqrt(6.0 / (fanIn + fanOut)), generator); break;
            case InitScheme.XavierNormal: weight.normal_(0, Math.Sqrt(2.0 / (fanIn + fanOut)), generator); break;
            case InitScheme.KaimingUniform: weight.uniform_(-Math.Sqrt(3.0) * relu / Math.Sqrt(fanIn), Math.Sqrt(3.0) * relu / Math.Sqrt(fanIn), generator); break;
            case InitScheme.KaimingNormal: weight.normal_(0, relu / Math.Sqrt(fanIn), generator); break;
            case InitScheme.PyTorchDefault:
                // nn.Linear.reset_parameters: kaiming_uniform_(a = √5), i.e. U(±1/√fan_in), and the bias U(±1/√fan_in).
                var bound = 1.0 / Math.Sqrt(fanIn);
                weight.uniform_(-bound, bound, generator);
                if (linearBias is { } b) b.uniform_(-bound, bound, generator);
                return;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown init scheme");
        }
        if (linearBias is { } bias) nn.init.zeros_(bias);
    }
}
