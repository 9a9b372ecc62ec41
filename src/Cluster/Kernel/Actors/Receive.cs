namespace ActorTrain.Cluster.Kernel;

/// <summary>An actor behavior: handles <paramref name="message"/> and returns true, or returns false when it does not apply.</summary>
public delegate bool Receive(object message);
