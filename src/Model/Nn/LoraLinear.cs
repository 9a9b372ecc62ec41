using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ActorTrain.Model.Nn;

/// <summary>
/// A Linear with a LoRA adapter: <c>y = W x + b + (α/r)·B(A(dropout(x)))</c>. The base weight and bias are registered
/// under their own names ("weight", "bias": the module path keeps the base checkpoint's names) and frozen
/// (requires_grad false); the adapter is "lora_A" (r × in, Kaiming-uniform with a = √5 as peft) and "lora_B"
/// (out × r, zeros), so before training the layer computes exactly the base layer.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly SeededDropout drop;

    /// <summary>Wraps <paramref name="baseLayer"/> (its parameters are frozen here); call <see cref="ResetAdapter"/> to initialise.</summary>
    public LoraLinear(Linear baseLayer, LoraConfig config, Generator? dropoutGenerator = null, Device? device = null) : base(nameof(LoraLinear))
    {
        Config = config;
        var weight = baseLayer.weight!;
        var bias = baseLayer.bias;
        InFeatures = weight.shape[1];
        OutFeatures = weight.shape[0];
        lora_A = nn.Linear(InFeatures, config.Rank, hasBias: false, device: device);
        lora_B = nn.Linear(config.Rank, OutFeatures, hasBias: false, device: device);
        drop = new SeededDropout(config.Dropout, dropoutGenerator);
        register_parameter("weight", weight);
        if (bias is not null) register_parameter("bias", bias);
        register_module("lora_A", lora_A);
        register_module("lora_B", lora_B);
        register_module("drop", drop);
        weight.requires_grad = false;
        if (bias is not null) bias.requires_grad = false;
    }

    // No Parameter/Module-typed fields or auto-properties beyond the registered ones: TorchSharp registers such fields
    // by reflection, which would add duplicate names ("<Weight>k__BackingField") and a second init of the base.

    /// <summary>Rank, α, dropout.</summary>
    public LoraConfig Config { get; }
    /// <summary>The frozen base weight (out × in).</summary>
    public Parameter Weight => get_parameter("weight")!;
    /// <summary>The frozen base bias, if any.</summary>
    public Parameter? Bias => get_parameter("bias");
    /// <summary>A (r × in).</summary>
    public Parameter AdapterA => lora_A.weight!;
    /// <summary>B (out × r).</summary>
    public Parameter AdapterB => lora_B.weight!;
    /// <summary>Input width.</summary>
    public long InFeatures { get; }
    /// <summary>Output width.</summary>
    public long OutFeatures { get; }

    /// <summary>A ← Kaiming-uniform(a = √5), i.e. U(±1/√in) as peft's reset_lora_parameters; B ← 0.</summary>
    public void ResetAdapter(Generator generator)
    {
        using var _ = no_grad();
        var bound = 1.0 / Math.Sqrt(InFeatures);
        AdapterA.uniform_(-bound, bound, generator);
        AdapterB.zero_();
    }

    private Nf4Weight? _nf4;

    /// <summary>The NF4 copy of the base weight after <see cref="QuantizeBase"/>, else null.</summary>
    public Nf4Weight? Nf4 => _nf4;

    /// <summary>Bytes the base weight takes: its NF4 codes and scales, or 4 per value in float32.</summary>
    public long BaseWeightBytes => _nf4?.StorageBytes ?? OutFeatures * InFeatures * sizeof(float);

    /// <summary>
    /// Replaces the frozen float32 base weight by its NF4 form (block 64, absmax per block), dequantised in every forward;
    /// the float32 storage is released (the "weight" parameter becomes empty). Load the base weights first. With
    /// <paramref name="doubleQuantize"/> the block scales are stored in 8 bits too (QLoRA's double quantisation).
    /// </summary>
    public void QuantizeBase(bool doubleQuantize = false)
    {
        if (_nf4 is not null) return;
        _nf4 = Nf4Weight.Quantize(Weight, doubleQuantize);
        using var _ = no_grad();
        Weight.set_(empty(0, dtype: float32, device: Weight.device));
    }

    private Tensor BaseWeight() => _nf4?.Dequantize() ?? Weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Forward(x, p => p);

    /// <summary>The forward with each trainable parameter passed through <paramref name="tap"/> (the DDP gradient-ready signal).</summary>
    public Tensor Forward(Tensor x, Func<Parameter, Tensor> tap)
    {
        var weight = BaseWeight();
        var baseOut = F.linear(x, weight, Bias);
        var adapter = F.linear(F.linear(drop.forward(x), tap(AdapterA)), tap(AdapterB));
        return baseOut + adapter * Config.Scale;
    }

    /// <summary>W + (α/r)·B·A, the weight of the equivalent plain Linear (a new tensor).</summary>
    public Tensor MergedWeight()
    {
        using var _ = no_grad();
        var weight = BaseWeight();
        return (weight + AdapterB.matmul(AdapterA) * Config.Scale).detach();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _nf4?.Dispose();
        base.Dispose(disposing);
    }
}
