namespace ActorTrain.Actors.Training;

/// <summary>Receives rank 0's training events.</summary>
public interface ITrainingObserver { /// <summary>One event.</summary>
    void OnEvent(ActorTrain.Actors.Reporting.TrainingEvent e); }
