using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.model.dtype</c>.</summary>
public enum ModelDType
{
    /// <summary>32-bit float ("float32").</summary>
    Float32,
    /// <summary>bfloat16 ("bfloat16").</summary>
    [ConfigName("bfloat16")]
    BFloat16,
}
