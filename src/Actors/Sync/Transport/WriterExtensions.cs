namespace ActorTrain.Actors.Sync.Transport;

/// <summary>Keeps conditional writes inside one fluent <see cref="SyncWire.Writer"/> expression.</summary>
internal static class WriterExtensions
{
    /// <summary>Applies <paramref name="write"/> and returns the writer.</summary>
    public static SyncWire.Writer Apply(this SyncWire.Writer writer, Func<SyncWire.Writer, SyncWire.Writer> write) => write(writer);
}
