using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

public sealed class TensorTests
{
    [Fact]
    public void Data_round_trips_through_spans_with_shape_and_dtype()
    {
        using var scope = TensorScope.Enter();
        float[] data = [1, 2, 3, 4, 5, 6];
        var t = Tensor.From<float>(data, [2, 3]);
        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(data, t.ToArray<float>());
        var longs = Tensor.From<long>([7L, -8L]);
        Assert.Equal([7L, -8L], longs.ToArray<long>());
        var doubles = Tensor.From<double>([0.125, 2.5], [2]);
        Assert.Equal([0.125, 2.5], doubles.ToArray<double>());
    }

    [Fact]
    public void Matmul_and_elementwise_ops_compute_expected_values()
    {
        using var scope = TensorScope.Enter();
        var a = Tensor.From<float>([1, 2, 3, 4], [2, 2]);
        var b = Tensor.From<float>([5, 6, 7, 8], [2, 2]);
        Assert.Equal([19f, 22f, 43f, 50f], a.MatMul(b).ToArray<float>());
        Assert.Equal([6f, 8f, 10f, 12f], (a + b).ToArray<float>());
        Assert.Equal([-4f, -4f, -4f, -4f], (a - b).ToArray<float>());
        Assert.Equal([2f, 4f, 6f, 8f], (a * 2).ToArray<float>());
        Assert.Equal(10.0, a.Sum().Item());
        Assert.Equal([4f, 6f], a.Sum(0).ToArray<float>());
        Assert.Equal([1L, 1L], a.ArgMax(1).ToArray<long>());
        Assert.Equal([1f, 3f, 2f, 4f], a.Transpose(0, 1).Contiguous().ToArray<float>());
        var softmax = a.Softmax(-1).ToArray<float>();
        Assert.Equal(1.0, softmax[0] + softmax[1], 5);
        Assert.Equal([0f, 2f, 0f, 0f], a.Triu(1).ToArray<float>());
    }

    [Fact]
    public void Views_split_and_cat_preserve_elements()
    {
        using var scope = TensorScope.Enter();
        var t = Tensor.Arange(0, 12, dtype: DType.Float32).View(3, 4);
        var parts = t.Split(2, 1);
        Assert.Equal(2, parts.Length);
        Assert.Equal([0f, 1f, 4f, 5f, 8f, 9f], parts[0].Contiguous().ToArray<float>());
        var back = Tensor.Cat([parts[0], parts[1]], 1);
        Assert.True(back.AllClose(t));
        Assert.Equal([2L, 2L, 3L], t.Reshape(2, 6).View(2, 2, 3).Shape);
        Assert.Equal([4f, 5f, 6f, 7f], t.Narrow(0, 1, 1).Contiguous().ToArray<float>());
    }

    [Fact]
    public void In_place_ops_modify_the_tensor_itself()
    {
        using var scope = TensorScope.Enter();
        var t = Tensor.Ones([3]);
        var g = Tensor.From<float>([1, 2, 3]);
        t.AddInPlace(g, -0.5).MulInPlace(2);
        Assert.Equal([1f, 0f, -1f], t.ToArray<float>());
        t.ZeroInPlace();
        Assert.Equal([0f, 0f, 0f], t.ToArray<float>());
    }

    [Fact]
    public void Bfloat16_conversion_rounds_to_bfloat16_precision()
    {
        using var scope = TensorScope.Enter();
        var t = Tensor.From<float>([1.0f, 1.00390625f, 3.14159f]).To(DType.BFloat16);
        Assert.Equal(DType.BFloat16, t.DType);
        var back = t.To(DType.Float32).ToArray<float>();
        Assert.Equal(1.0f, back[0]);
        Assert.Equal(1.0f, back[1]); // 1 + 2^-8 is below bfloat16's resolution at 1.0
        Assert.Equal(3.140625f, back[2]);
    }

    [Fact]
    public void Generator_state_restores_the_same_random_stream()
    {
        using var scope = TensorScope.Enter();
        using var gen = new Generator(42);
        var state = gen.GetState();
        var first = Tensor.Randn([16], gen).ToArray<float>();
        var second = Tensor.Randn([16], gen).ToArray<float>();
        Assert.NotEqual(first, second);
        gen.SetState(state);
        Assert.Equal(first, Tensor.Randn([16], gen).ToArray<float>());
        using var same = new Generator(42);
        Assert.Equal(first, Tensor.Randn([16], same).ToArray<float>());
        var ints = Tensor.RandInt(3, 7, [1000], gen).ToArray<long>();
        Assert.All(ints, v => Assert.InRange(v, 3, 6));
    }

    [Fact]
    public void Scope_frees_its_tensors_but_not_kept_ones()
    {
        Tensor inner, kept;
        using (var scope = TensorScope.Enter())
        {
            inner = Tensor.Zeros([2]);
            kept = scope.Keep(Tensor.Ones([2]));
        }
        Assert.True(inner.IsDisposed);
        Assert.False(kept.IsDisposed);
        kept.Dispose();
        Assert.Throws<ObjectDisposedException>(() => inner.Sum());
    }

    [Fact]
    public void No_grad_scope_stops_graph_recording_and_restores_mode()
    {
        using var scope = TensorScope.Enter();
        var w = Tensor.Ones([2]).RequiresGradInPlace();
        using (Torch.NoGrad())
        {
            Assert.False(Torch.IsGradEnabled);
            Assert.False((w * 3).RequiresGrad);
        }
        Assert.True(Torch.IsGradEnabled);
        var y = (w * 3).Sum();
        Assert.True(y.RequiresGrad);
        y.Backward();
        Assert.Equal([3f, 3f], w.Grad!.ToArray<float>());
    }
}
