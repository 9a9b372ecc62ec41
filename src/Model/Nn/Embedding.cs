using ActorTrain.Model.Tensors;

namespace ActorTrain.Model.Nn;

/// <summary>A lookup table of <c>count</c> vectors of width <c>dim</c>; parameter "weight".</summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table with zeros; <see cref="Initializer"/> fills it.</summary>
    public Embedding(long count, long dim, DType dtype = DType.Float32, Device? device = null)
    {
        Count = count;
        EmbeddingDim = dim;
        Weight = RegisterParameter("weight", Tensor.Zeros([count, dim], dtype, device));
    }

    /// <summary>Number of rows.</summary>
    public long Count { get; }
    /// <summary>Vector width.</summary>
    public long EmbeddingDim { get; }
    /// <summary>(count, dim) table.</summary>
    public Tensor Weight { get; }

    /// <summary>Rows for int64 <paramref name="indices"/>; an index outside [0, count) raises a <see cref="TorchException"/>.</summary>
    public Tensor Forward(Tensor indices) => Functional.Embedding(Weight, indices);
}
