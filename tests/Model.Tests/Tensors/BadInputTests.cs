using ActorTrain.Model.Nn;
using ActorTrain.Model.Tensors;
using Xunit;

namespace ActorTrain.Model.Tests.Tensors;

public sealed class BadInputTests
{
    [Fact]
    public void Matmul_shape_mismatch_raises_torch_exception_with_libtorch_message()
    {
        using var scope = TensorScope.Enter();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);
        var e = Assert.Throws<TorchException>(() => a.MatMul(b));
        Assert.Equal("MatMul", e.Operation);
        Assert.Contains("cannot be multiplied", e.TorchMessage);
        Assert.DoesNotContain("frame #", e.Message);
        // The process and the library keep working.
        Assert.Equal([2L, 5L], Tensor.Zeros([2, 4]).MatMul(b).Shape);
    }

    [Fact]
    public void Dtype_mismatch_raises_torch_exception()
    {
        using var scope = TensorScope.Enter();
        var x = Tensor.Zeros([2, 3], DType.Float64);
        var w = Tensor.Zeros([4, 3], DType.Float32);
        var e = Assert.Throws<TorchException>(() => Functional.Linear(x, w));
        Assert.Contains("expected scalar type", e.TorchMessage);
        var floatIndices = Tensor.Zeros([2]);
        Assert.Throws<TorchException>(() => Functional.Embedding(w, floatIndices));
    }

    [Fact]
    public void Out_of_range_embedding_index_raises_torch_exception()
    {
        using var scope = TensorScope.Enter();
        using var table = new Embedding(10, 4);
        var e = Assert.Throws<TorchException>(() => table.Forward(Tensor.From<long>([3, 10])));
        Assert.Contains("out of range", e.TorchMessage);
    }

    [Fact]
    public void Invalid_view_and_copy_size_are_reported()
    {
        using var scope = TensorScope.Enter();
        var t = Tensor.Zeros([2, 3]);
        Assert.Throws<TorchException>(() => t.View(4, 2));
        var tooSmall = new float[5];
        var e = Assert.Throws<TorchException>(() => t.CopyTo<float>(tooSmall));
        Assert.Contains("24 bytes", e.TorchMessage);
        Assert.Throws<TorchException>(() => t.CopyTo<double>(new double[6]));
    }
}
