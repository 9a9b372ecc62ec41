using ActorTrain.Model.Losses;
using ActorTrain.Model.Nn;
using Xunit;
using static TorchSharp.torch;

namespace ActorTrain.Model.Tests.Nn;

public sealed class FlatParametersTests
{
    private static Gpt Model(ulong seed)
    {
        using var gen = new Generator(seed);
        return new Gpt(GptConfig.Tiny, gen);
    }

    private static Tensor Tokens(ulong seed) => randint(0, GptConfig.Tiny.VocabSize, [3, 9], dtype: int64, generator: new Generator(seed));

    private static void Backward(Gpt model, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var result = CrossEntropy.Compute(model.forward(tokens.narrow(1, 0, 8)), tokens.narrow(1, 1, 8), nn.Reduction.Sum);
        result.Loss.backward();
    }

    [Fact]
    public void Layout_is_reverse_registration_order_and_keeps_values()
    {
        using var model = Model(1);
        var named = model.NamedParameters();
        var before = named.Select(p => p.Parameter.data<float>().ToArray()).ToList();
        using var flat = new FlatParameters(model);
        Assert.Equal(named.Select(p => p.Name).Reverse(), flat.Entries.Select(e => e.Name));
        Assert.Equal(model.ParameterCount(), flat.Length);
        var span = flat.ParameterSpan;
        foreach (var entry in flat.Entries)
            Assert.Equal(before[entry.RegistrationIndex], span.Slice((int)entry.Offset, (int)entry.Length).ToArray());
    }

    [Fact]
    public void Backward_accumulates_into_the_flat_gradient_span_in_place()
    {
        using var model = Model(2);
        using var flat = new FlatParameters(model);
        using var tokens = Tokens(3);
        Backward(model, tokens);
        var once = flat.GradientSpan.ToArray();
        Assert.Contains(once, g => g != 0);
        for (var k = 0; k < flat.Entries.Count; k++)
        {
            var entry = flat.Entries[k];
            using var grad = flat.ParametersInFlatOrder[k].grad!;
            Assert.Equal(grad.data<float>().ToArray(), once.AsSpan((int)entry.Offset, (int)entry.Length).ToArray());
        }
        Backward(model, tokens);
        var twice = flat.GradientSpan.ToArray();
        for (var i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], 5);

        flat.ZeroGradients();
        Assert.All(flat.GradientSpan.ToArray(), g => Assert.Equal(0f, g));
        Backward(model, tokens);
        Assert.Equal(once, flat.GradientSpan.ToArray());
    }

    [Fact]
    public void Edits_to_the_parameter_span_are_seen_by_forward()
    {
        using var model = Model(4);
        using var flat = new FlatParameters(model);
        using var scope = NewDisposeScope();
        var x = tensor(new long[] { 1, 2 }, [1, 2]);
        flat.ParameterSpan.Clear();
        Assert.All(model.forward(x).data<float>().ToArray(), v => Assert.Equal(0f, v));
        var head = flat.Entries.Single(e => e.Name == "head.weight");
        flat.ParameterSpan[(int)head.Offset] = 1.5f;
        Assert.Equal(1.5f, model.Head.weight![0, 0].item<float>());
    }

    [Fact]
    public void Gradient_ready_signal_fires_once_per_parameter_and_gives_the_same_gradients()
    {
        using var plain = Model(5);
        using var tapped = Model(5);
        using var plainFlat = new FlatParameters(plain);
        using var tappedFlat = new FlatParameters(tapped);
        var signal = new GradientReadySignal(tappedFlat.ParametersInFlatOrder);
        tapped.UseGradientReadySignal(signal);
        var order = new List<int>();
        var gradientSeen = new bool[tappedFlat.Entries.Count];
        signal.OnReady(i =>
        {
            order.Add(i);
            var e = tappedFlat.Entries[i];
            gradientSeen[i] = tappedFlat.GradientSpan.Slice((int)e.Offset, (int)e.Length).ContainsAnyExcept(0f);
        });
        using var a = Tokens(6);
        using var b = Tokens(7);
        // Two micro-batches accumulate, as in a DDP step with gradient accumulation.
        foreach (var tokens in new[] { a, b })
        {
            order.Clear();
            Backward(plain, tokens);
            Backward(tapped, tokens);
            signal.ThrowIfFailed();
            Assert.Equal(Enumerable.Range(0, tappedFlat.Entries.Count), order.Order());
        }
        Assert.All(gradientSeen, Assert.True);
        // The head (flat index 0) is ready before the token embedding (the last flat entry).
        Assert.True(order.IndexOf(0) < order.IndexOf(tappedFlat.Entries.Count - 1));
        var expected = plainFlat.GradientSpan.ToArray();
        var actual = tappedFlat.GradientSpan.ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
    }

    [Fact]
    public void A_failing_ready_callback_is_reported_not_thrown_into_autograd()
    {
        using var model = Model(8);
        using var flat = new FlatParameters(model);
        var signal = new GradientReadySignal(flat.ParametersInFlatOrder);
        model.UseGradientReadySignal(signal);
        signal.OnReady(_ => throw new InvalidDataException("boom"));
        using var tokens = Tokens(9);
        Backward(model, tokens);
        var e = Assert.Throws<InvalidOperationException>(signal.ThrowIfFailed);
        Assert.IsType<InvalidDataException>(e.InnerException);
        signal.ThrowIfFailed(); // cleared
    }
}
