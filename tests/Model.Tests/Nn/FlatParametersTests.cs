using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Nn;

public sealed class FlatParametersTests
{
    private sealed class TwoLayer : Module
    {
        public TwoLayer()
        {
            First = RegisterModule("first", new Linear(3, 4));
            Second = RegisterModule("second", new Linear(4, 2));
        }
        public Linear First { get; }
        public Linear Second { get; }
        public Tensor Forward(Tensor x) => Second.Forward(First.Forward(x).Relu());
    }

    private static TwoLayer Model(ulong seed)
    {
        var model = new TwoLayer();
        using var gen = new Generator(seed);
        Initializer.Apply(model, InitScheme.XavierUniform, gen);
        return model;
    }

    [Fact]
    public void Layout_is_reverse_registration_order_and_keeps_values()
    {
        using var model = Model(1);
        var before = model.NamedParameters().Select(p => p.Parameter.ToArray<float>()).ToList();
        using var flat = new FlatParameters(model);
        Assert.Equal(["second.bias", "second.weight", "first.bias", "first.weight"], flat.Entries.Select(e => e.Name));
        Assert.Equal(3 * 4 + 4 + 4 * 2 + 2, flat.Length);
        var span = flat.ParameterSpan;
        foreach (var entry in flat.Entries)
        {
            Assert.Equal(before[entry.RegistrationIndex], span.Slice((int)entry.Offset, (int)entry.Length).ToArray());
        }
    }

    [Fact]
    public void Backward_accumulates_into_the_flat_gradient_span_in_place()
    {
        using var model = Model(2);
        using var flat = new FlatParameters(model);
        using var gen = new Generator(3);
        using var scope = TensorScope.Enter();
        var x = Tensor.Randn([5, 3], gen);
        model.Forward(x).Sum().Backward();
        var once = flat.GradientSpan.ToArray();
        Assert.Contains(once, g => g != 0);
        foreach (var entry in flat.Entries)
        {
            var p = flat.ParametersInFlatOrder[flat.Entries.ToList().IndexOf(entry)];
            Assert.Equal(p.Grad!.ToArray<float>(), once.AsSpan((int)entry.Offset, (int)entry.Length).ToArray());
        }
        model.Forward(x).Sum().Backward();
        var twice = flat.GradientSpan.ToArray();
        for (var i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);

        flat.ZeroGradients();
        Assert.All(flat.GradientSpan.ToArray(), g => Assert.Equal(0f, g));
        model.Forward(x).Sum().Backward();
        Assert.Equal(once, flat.GradientSpan.ToArray());
    }

    [Fact]
    public void Edits_to_the_parameter_span_are_seen_by_forward()
    {
        using var model = Model(4);
        using var flat = new FlatParameters(model);
        using var scope = TensorScope.Enter();
        var x = Tensor.Ones([1, 3]);
        flat.ParameterSpan.Clear();
        Assert.Equal([0f, 0f], model.Forward(x).ToArray<float>());
        var bias = flat.Entries.Single(e => e.Name == "second.bias");
        flat.ParameterSpan[(int)bias.Offset] = 1.5f;
        flat.ParameterSpan[(int)bias.Offset + 1] = -2f;
        Assert.Equal([1.5f, -2f], model.Forward(x).ToArray<float>());
        Assert.Equal([1.5f, -2f], model.Second.Bias!.ToArray<float>());
    }

    [Fact]
    public void Gradient_ready_hooks_fire_once_per_parameter_after_its_gradient_landed()
    {
        using var model = Model(5);
        using var flat = new FlatParameters(model);
        var order = new List<int>();
        var gradientSeen = new bool[flat.Entries.Count];
        using var hooks = new GradientReadyHooks(flat.ParametersInFlatOrder, i =>
        {
            order.Add(i);
            var e = flat.Entries[i];
            gradientSeen[i] = flat.GradientSpan.Slice((int)e.Offset, (int)e.Length).ContainsAnyExcept(0f);
        });
        using var scope = TensorScope.Enter();
        using var gen = new Generator(6);
        model.Forward(Tensor.Randn([4, 3], gen)).Sum().Backward();
        hooks.ThrowIfFailed();
        Assert.Equal([0, 1, 2, 3], order.Order());
        Assert.All(gradientSeen, Assert.True);
        // Output-side parameters (flat index 0, 1) become ready before input-side ones.
        Assert.True(order.IndexOf(0) < order.IndexOf(3));
    }

    [Fact]
    public void Flat_layout_trains_with_loss_going_down()
    {
        using var model = Model(7);
        using var flat = new FlatParameters(model);
        using var gen = new Generator(8);
        using var x = Tensor.Randn([16, 3], gen).DetachFromScope();
        using var y = Tensor.RandInt(0, 2, [16], gen).DetachFromScope();
        double first = 0, last = 0;
        for (var step = 0; step < 50; step++)
        {
            using var scope = TensorScope.Enter();
            flat.ZeroGradients();
            var result = CrossEntropy.Compute(model.Forward(x), y);
            result.Loss.Backward();
            if (step == 0) first = result.Loss.Item();
            last = result.Loss.Item();
            var p = flat.ParameterSpan;
            var g = flat.GradientSpan;
            for (var i = 0; i < p.Length; i++) p[i] -= 0.5f * g[i];
        }
        Assert.True(last < first * 0.9, $"loss {first} -> {last}");
    }
}
