namespace ActorTrain.Cluster.Hocon;

/// <summary>The JSON type a HOCON scalar has.</summary>
public enum HoconScalarKind
{
    /// <summary>A quoted or unquoted string (also "yes", "on", "10s", "25MiB" until read by a typed getter).</summary>
    String,
    /// <summary>A number written as a JSON number.</summary>
    Number,
    /// <summary>true or false.</summary>
    Boolean,
    /// <summary>null.</summary>
    Null,
}
