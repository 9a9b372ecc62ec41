using ActorTrain.Model.Nn;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Nn;

/// <summary>Autograd gradients of the building blocks agree with central finite differences (float64).</summary>
public sealed class GradientCheckTests
{
    private static Tensor Leaf(Generator gen, params long[] shape) =>
        Tensor.Randn(shape, gen, DType.Float64).DetachFromScope().RequiresGradInPlace();

    private static void Randomize(Module module, Generator gen)
    {
        using var _ = Torch.NoGrad();
        foreach (var (_, p) in module.NamedParameters()) p.NormalInPlace(0, 0.5, gen);
    }

    [Fact]
    public void Linear_gradients_match_finite_differences()
    {
        using var gen = new Generator(1);
        using var linear = new Linear(4, 3, true, DType.Float64);
        Randomize(linear, gen);
        using var x = Leaf(gen, 2, 4);
        using var weights = Tensor.Randn([2, 3], gen, DType.Float64).DetachFromScope();
        Tensor Loss() => (linear.Forward(x) * weights).Sum();
        FiniteDifference.AssertGradientMatches(x, Loss);
        FiniteDifference.AssertGradientMatches(linear.Weight, Loss);
        FiniteDifference.AssertGradientMatches(linear.Bias!, Loss);
    }

    [Fact]
    public void LayerNorm_gradients_match_finite_differences()
    {
        using var gen = new Generator(2);
        using var norm = new LayerNorm(5, 1e-5, DType.Float64);
        Randomize(norm, gen);
        using var x = Leaf(gen, 3, 5);
        using var weights = Tensor.Randn([3, 5], gen, DType.Float64).DetachFromScope();
        Tensor Loss() => (norm.Forward(x) * weights).Sum();
        FiniteDifference.AssertGradientMatches(x, Loss);
        FiniteDifference.AssertGradientMatches(norm.Weight, Loss);
        FiniteDifference.AssertGradientMatches(norm.Bias, Loss);
    }

    [Fact]
    public void Causal_attention_gradients_match_finite_differences()
    {
        using var gen = new Generator(3);
        using var attention = new CausalSelfAttention(width: 4, heads: 2, contextLength: 5, dtype: DType.Float64);
        Randomize(attention, gen);
        using var x = Leaf(gen, 2, 3, 4);
        using var weights = Tensor.Randn([2, 3, 4], gen, DType.Float64).DetachFromScope();
        Tensor Loss() => (attention.Forward(x) * weights).Sum();
        FiniteDifference.AssertGradientMatches(x, Loss);
        FiniteDifference.AssertGradientMatches(attention.Qkv.Weight, Loss);
        FiniteDifference.AssertGradientMatches(attention.Proj.Weight, Loss);
    }

    [Fact]
    public void Causal_attention_output_does_not_depend_on_future_tokens()
    {
        using var scope = TensorScope.Enter();
        using var gen = new Generator(4);
        using var attention = new CausalSelfAttention(width: 4, heads: 2, contextLength: 4, dtype: DType.Float64);
        Randomize(attention, gen);
        var x = Tensor.Randn([1, 4, 4], gen, DType.Float64);
        var before = attention.Forward(x).Narrow(1, 0, 2).Contiguous().ToArray<double>();
        var changed = x.Clone();
        changed.Narrow(1, 3, 1).FillInPlace(100);
        var after = attention.Forward(changed).Narrow(1, 0, 2).Contiguous().ToArray<double>();
        Assert.Equal(before, after);
    }
}
