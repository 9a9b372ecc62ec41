namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.finetune.method</c>: what trains when the job fine-tunes a base model.</summary>
public enum FinetuneMethod
{
    /// <summary>LoRA adapters on the targeted Linears; the base is frozen.</summary>
    Lora,
    /// <summary>Every parameter of the base trains.</summary>
    Full,
}
