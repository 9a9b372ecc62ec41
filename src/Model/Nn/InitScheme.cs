namespace ActorTrain.Model.Nn;

/// <summary>How <see cref="Initializer.Apply"/> fills weights of Linear and Embedding layers.</summary>
public enum InitScheme
{
    /// <summary>Default. GPT-2 style: Linear and Embedding weights ~ N(0, 0.02); biases 0; LayerNorm weight 1, bias 0.</summary>
    Gpt2Normal,
    /// <summary>Glorot uniform for Linear weights (gain 1); embeddings N(0, 0.02); biases 0.</summary>
    XavierUniform,
    /// <summary>Glorot normal for Linear weights; embeddings N(0, 0.02); biases 0.</summary>
    XavierNormal,
    /// <summary>He uniform (fan_in, ReLU gain) for Linear weights; embeddings N(0, 0.02); biases 0.</summary>
    KaimingUniform,
    /// <summary>He normal (fan_in, ReLU gain) for Linear weights; embeddings N(0, 0.02); biases 0.</summary>
    KaimingNormal,
    /// <summary>torch.nn's defaults: Linear kaiming_uniform(a=√5) and bias U(±1/√fan_in); Embedding N(0, 1).</summary>
    PyTorchDefault,
}
