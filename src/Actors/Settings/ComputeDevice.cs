namespace ActorTrain.Actors.Settings;

/// <summary><c>actortrain.model.device</c>.</summary>
public enum ComputeDevice
{
    /// <summary>"cpu".</summary>
    Cpu,
    /// <summary>"cuda".</summary>
    Cuda,
    /// <summary>CUDA when available, else CPU ("auto").</summary>
    Auto,
}
