using ActorTrain.Cluster.Hocon;

namespace ActorTrain.Cluster.Settings;

/// <summary>One problem found while binding the config: the key, what is wrong, and where the value was written.</summary>
/// <param name="Key">Full dotted key.</param>
/// <param name="Message">The complete, user-facing message (names the key, value, origin and the rule or expected type).</param>
/// <param name="Origin">Where the offending value was written, when known.</param>
public sealed record SettingsError(string Key, string Message, HoconOrigin? Origin)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
