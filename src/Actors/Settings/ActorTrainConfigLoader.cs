using ActorTrain.Cluster.Hocon;
using ActorTrain.Cluster.Node;
using ActorTrain.Cluster.Settings;

namespace ActorTrain.Actors.Settings;

/// <summary>Loads the configuration the way every ActorTrain command does: reference.conf, then the user's file, then
/// environment variables, then <c>--set key=value</c> options, each layer overriding the one before.</summary>
public static class ActorTrainConfigLoader
{
    /// <summary>Loads and validates. Throws <see cref="HoconParseException"/> for a syntax error in the file (file, line, column),
    /// <see cref="FileNotFoundException"/> for a missing file, and <see cref="SettingsValidationException"/> listing every unknown
    /// key, wrong type and broken rule.</summary>
    /// <param name="configFilePath">The user's HOCON file, or null for none.</param>
    /// <param name="environment">Environment variables (see <see cref="ProcessEnvironment.Snapshot"/>).</param>
    /// <param name="sets">"key=value" overrides from the command line, in order (later wins).</param>
    /// <param name="ignoredEnvironmentVariables">ACTORTRAIN_* variables the caller reads itself (no warning for them).</param>
    public static LoadedConfig Load(string? configFilePath, IReadOnlyDictionary<string, string> environment, IEnumerable<string> sets,
        IEnumerable<string>? ignoredEnvironmentVariables = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(sets);
        var reference = ReferenceConfig.Load();
        var file = configFilePath is null ? Config.Empty : ConfigFactory.ParseFile(configFilePath);
        var errors = new List<SettingsError>();
        var warnings = new List<string>();
        var envLayer = EnvironmentOverrides.Build(environment, reference, warnings, ignoredEnvironmentVariables);
        var cliLayer = CommandLineOverrides.Build(sets, reference, errors);
        var overlay = cliLayer.WithFallback(envLayer).WithFallback(file);
        warnings.AddRange(AkkaKeyChecker.Check(overlay));
        var loaded = Bind(overlay, environment, errors);
        return loaded with { Warnings = warnings };
    }

    /// <summary>Binds <paramref name="overlay"/> (everything the user set) over reference.conf, adding <paramref name="priorErrors"/>.</summary>
    internal static LoadedConfig Bind(Config overlay, IReadOnlyDictionary<string, string> environment, IEnumerable<SettingsError> priorErrors)
    {
        var reference = ReferenceConfig.Load();
        var errors = new List<SettingsError>(priorErrors);
        errors.AddRange(UnknownKeyChecker.Check(overlay, reference));

        Config effective;
        try
        {
            effective = overlay.WithFallback(reference).Resolve(environment);
        }
        catch (ConfigException e)
        {
            errors.Add(new SettingsError(e.Path, e.Message, e.Origin));
            throw new SettingsValidationException(errors);
        }

        var reader = new SettingsReader(effective);
        reader.AddErrors(errors);
        var settings = ActorTrainSettings.Bind(reader, key => OverrideValue.FindUnresolved(overlay.Root, key) is not null);
        reader.ThrowIfErrors();
        return new LoadedConfig(effective, settings, Array.Empty<string>());
    }
}
