using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.train.optimizer</c>.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with decoupled weight decay ("adamw").</summary>
    [ConfigName("adamw")]
    AdamW,
    /// <summary>SGD with momentum ("sgd").</summary>
    Sgd,
}
