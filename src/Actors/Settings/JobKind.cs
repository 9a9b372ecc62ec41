namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.job.kind</c>: what the job does.</summary>
public enum JobKind
{
    /// <summary>Train the model from its seeded initialisation.</summary>
    Pretrain,
    /// <summary>Start from <c>actortrain.finetune.base</c> and train as <c>actortrain.finetune</c> says.</summary>
    Finetune,
}
