namespace ActorTrain.Cluster.Kernel;

/// <summary>Akka's reply envelopes for request/response: <c>Ask</c> turns a <see cref="Failure"/> into a failed task.</summary>
public static class Status
{
    /// <summary>A successful reply carrying an optional value.</summary>
    public sealed record Success(object? Value);

    /// <summary>A failed reply; Ask rethrows <paramref name="Cause"/> to the caller.</summary>
    public sealed record Failure(Exception Cause);
}
