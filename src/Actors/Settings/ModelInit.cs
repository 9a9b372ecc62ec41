namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.model.init</c>: weight initialisation.</summary>
public enum ModelInit
{
    /// <summary>Normal(0, init-std) for Linear and Embedding weights ("gpt2-normal").</summary>
    Gpt2Normal,
    /// <summary>Glorot uniform ("xavier-uniform").</summary>
    XavierUniform,
    /// <summary>Glorot normal ("xavier-normal").</summary>
    XavierNormal,
    /// <summary>He uniform ("kaiming-uniform").</summary>
    KaimingUniform,
    /// <summary>He normal ("kaiming-normal").</summary>
    KaimingNormal,
}
