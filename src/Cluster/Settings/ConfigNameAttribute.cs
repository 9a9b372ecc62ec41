namespace ActorTrain.Cluster.Settings;

/// <summary>Overrides the kebab-case config name of an enum member.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ConfigNameAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public ConfigNameAttribute(string name) => Name = name;

    /// <summary>The name written in config files.</summary>
    public string Name { get; }
}
