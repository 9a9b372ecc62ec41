using ActorTrain.Actors.Reporting;

namespace ActorTrain.Actors.Training;

/// <summary>Receives a run's events (steps, evaluations, samples, checkpoints, warnings). Only rank 0 emits.</summary>
public interface ITrainingObserver
{
    /// <summary>Called on the training thread; keep it quick (post to a channel).</summary>
    void OnEvent(TrainingEvent e);
}
