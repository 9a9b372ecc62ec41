namespace ActorTrain.Actors.Settings;

/// <summary>How <c>actortrain.train.resume</c> is interpreted.</summary>
public enum ResumeMode
{
    /// <summary>Start fresh ("none").</summary>
    None,
    /// <summary>The newest checkpoint in run-dir ("latest").</summary>
    Latest,
    /// <summary>A checkpoint file path.</summary>
    Path,
}
